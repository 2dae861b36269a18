#!/usr/bin/env bash
# Loads the demo data through the gateway when MERIDIAN_SEED_DEMO=1 (the `make up` default).
set -euo pipefail
. "$(dirname "$0")/env.sh"
if [ "${MERIDIAN_SEED_DEMO:-0}" = "1" ]; then
  python "$MERIDIAN_ROOT/deploy/demo/seed.py" --gateway "$MERIDIAN_GATEWAY_URL"
fi
