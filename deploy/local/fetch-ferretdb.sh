#!/usr/bin/env bash
# Builds FerretDB (MongoDB wire protocol on SQLite) from the Go module proxy into the cache.
# The module as published lacks build/version/version.txt, which `go install` needs at run
# time, so we build from a writable copy of the module source with that file written, and with
# ferretdb-id-index.patch applied (lookups by `_id` use the `_id` index).
#   fetch-ferretdb.sh [--unpatched]   (--unpatched: FerretDB as released, for bench/ baselines)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

patch="$here/ferretdb-id-index.patch"
bin="$MERIDIAN_CACHE/bin/ferretdb-$FERRETDB_BUILD"
if [ "${1:-}" = --unpatched ]; then
  patch=""
  bin="$MERIDIAN_CACHE/bin/ferretdb-$FERRETDB_VERSION"
fi
if [ -x "$bin" ]; then
  exit 0
fi
echo "building FerretDB $FERRETDB_VERSION${patch:+ with ferretdb-id-index.patch} (first run only)..."
export GOFLAGS=-mod=mod
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$work" && go mod init meridian-ferretdb-build >/dev/null 2>&1 \
  && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" > dl.json)
src="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Dir"])' "$work/dl.json")"
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
[ -z "$patch" ] || (cd "$work/src" && git apply "$patch")
mkdir -p "$MERIDIAN_CACHE/bin"
(cd "$work/src" && go build -trimpath -o "$bin.tmp" ./cmd/ferretdb)
mv "$bin.tmp" "$bin"
echo "FerretDB built: $bin"
