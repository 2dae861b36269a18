#!/usr/bin/env bash
# Runs FerretDB (MongoDB wire protocol, SQLite backend) in the foreground.
set -euo pipefail
. "$(dirname "$0")/env.sh"
dir="$MERIDIAN_RUN_DIR/ferretdb"
mkdir -p "$dir/data"
exec "$MERIDIAN_CACHE/bin/ferretdb-$FERRETDB_BUILD" \
  --listen-addr="127.0.0.1:$MERIDIAN_MONGO_PORT" --handler=sqlite --sqlite-url="file:$dir/data/" \
  --state-dir="$dir" --telemetry=disable --debug-addr=- --log-level=warn
