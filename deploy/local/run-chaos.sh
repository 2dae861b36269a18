#!/usr/bin/env bash
# `make chaos`: start the chaos profile's stack (fresh data), run every fault scenario of
# tests/chaos, print the figures, and stop every process it started, whatever happened.
# Extra arguments go to pytest (e.g. -k kafka).
set -uo pipefail
export MERIDIAN_PROFILE=chaos
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

cleanup() {
  "$here/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$MERIDIAN_ROOT"
"$here/stack.sh" down >/dev/null 2>&1 || true
rm -rf "$MERIDIAN_RUN_DIR"
# On a busy machine a first start can outrun itself (an API up before FerretDB, a fresh Kafka
# slower than `topics ensure` waits): start whatever gave up, give Kafka longer, try again.
if ! "$here/stack.sh" up && ! { supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" start all >/dev/null;
    meridian topics ensure --timeout 300 && "$here/stack.sh" up; }; then
  tail -n 40 "$MERIDIAN_RUN_DIR"/logs/*.log >&2 || true
  exit 1
fi
MERIDIAN_CHAOS=all python -m pytest tests/chaos "$@"
status=$?
if [ $status -ne 0 ]; then
  echo "--- last lines of the stack's logs ($MERIDIAN_RUN_DIR/logs) ---" >&2
  tail -n 30 "$MERIDIAN_RUN_DIR"/logs/*.log >&2 || true
fi
exit $status
