#!/usr/bin/env bash
# Builds kustomize from the Go module proxy into the cache (first run only) and prints its path.
# `make test` renders deploy/k8s with it; v5.8.2 is the newest release that the Go 1.26
# toolchain on the build machines can compile (v5.8.3 needs Go 1.27).
set -euo pipefail
: "${MERIDIAN_CACHE:=$HOME/.cache/meridian}"
: "${KUSTOMIZE_VERSION:=v5.8.2}"
bin="$MERIDIAN_CACHE/bin/kustomize-$KUSTOMIZE_VERSION"
if [ ! -x "$bin" ]; then
  echo "building kustomize $KUSTOMIZE_VERSION from the Go module proxy (first run only)..." >&2
  work="$(mktemp -d)"
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  mkdir -p "$MERIDIAN_CACHE/bin"
  GOBIN="$work/bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local \
    go install -trimpath "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
  mv "$work/bin/kustomize" "$bin"
fi
echo "$bin"
