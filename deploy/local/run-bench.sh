#!/usr/bin/env bash
# `make bench`: run every benchmark in bench/ against a private stack (test profile), then stop it.
set -uo pipefail
export MERIDIAN_PROFILE=test
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
trap '"$here/stack.sh" down >/dev/null 2>&1 || true' EXIT
"$here/stack.sh" up || exit 1
cd "$MERIDIAN_ROOT"
status=0
for bench in bench/[a-z]*.py; do
  echo "=== $bench"
  python -m "bench.$(basename "$bench" .py)" || status=1
done
exit $status
