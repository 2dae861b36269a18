#!/usr/bin/env bash
# Builds Mailpit (local SMTP server with a web inbox) from the Go module proxy into the cache.
# `go install` of a pinned version: a second run finds the binary and returns at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

bin="$MERIDIAN_CACHE/bin/mailpit-$MAILPIT_VERSION"
if [ -x "$bin" ]; then
  exit 0
fi
echo "building Mailpit $MAILPIT_VERSION (first run only)..."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
GOBIN="$work" go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
mkdir -p "$MERIDIAN_CACHE/bin"
mv "$work/mailpit" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "Mailpit built: $bin"
