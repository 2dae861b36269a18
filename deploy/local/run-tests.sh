#!/usr/bin/env bash
# `make test`: lint, start a private stack (test profile, fresh data), run pytest, and stop
# every process it started, whatever happened. Extra arguments go to pytest.
set -uo pipefail
export MERIDIAN_PROFILE=test
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

cleanup() {
  "$here/stack.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$MERIDIAN_ROOT"
ruff check . || exit 1
# tests/deploy render deploy/k8s with a pinned kustomize, built once into the cache.
"$MERIDIAN_ROOT/deploy/k8s/fetch-kustomize.sh" >/dev/null || exit 1
# tests/browser drive Debian's Chromium.
"$here/fetch-chromium.sh" || exit 1
"$here/stack.sh" down >/dev/null 2>&1 || true
rm -rf "$MERIDIAN_RUN_DIR"
if ! "$here/stack.sh" up; then
  tail -n 40 "$MERIDIAN_RUN_DIR"/logs/*.log >&2 || true
  exit 1
fi
python -m pytest "$@"
status=$?
if [ $status -ne 0 ]; then
  echo "--- last lines of the stack's logs ($MERIDIAN_RUN_DIR/logs) ---" >&2
  tail -n 30 "$MERIDIAN_RUN_DIR"/logs/*.log >&2 || true
fi
exit $status
