#!/usr/bin/env bash
# Run pytest against an already running test stack (started by `make test` or
# `MERIDIAN_PROFILE=test deploy/local/stack.sh up`), without restarting anything.
set -euo pipefail
export MERIDIAN_PROFILE=test
. "$(dirname "$0")/env.sh"
cd "$MERIDIAN_ROOT"
exec python -m pytest "$@"
