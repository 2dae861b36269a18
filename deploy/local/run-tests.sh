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
# A stack that stops passing events fails every test that waits on one, each after its own
# deadline: --maxfail ends such a run early, and a budget below CI's 30 minutes ends a slow
# one with pytest's summary printed (SIGINT), so either way the run shows why it failed.
report="$MERIDIAN_RUN_DIR/pytest-report.txt"
timeout --signal=INT --kill-after=60 "${MERIDIAN_TEST_BUDGET:-26m}" \
  python -m pytest --maxfail="${MERIDIAN_TEST_MAXFAIL:-25}" "$@" 2>&1 | tee "$report"
status=${PIPESTATUS[0]}
if [ $status -ne 0 ]; then
  # Most useful last: CI shows the end of the output.
  echo "--- last lines of the stack's logs ($MERIDIAN_RUN_DIR/logs) ---" >&2
  tail -n 30 "$MERIDIAN_RUN_DIR"/logs/*.log >&2 || true
  echo "--- the stack now (meridian status) ---" >&2
  timeout 60 meridian status >&2 || true
  echo "--- what failed ---" >&2
  grep -E '^(FAILED|ERROR) ' "$report" | cut -c1-300 | head -n 30 >&2 || true
  [ $status -eq 124 ] && echo "pytest ran out of its ${MERIDIAN_TEST_BUDGET:-26m} budget" >&2
fi
exit $status
