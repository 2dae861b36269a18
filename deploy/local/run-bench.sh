#!/usr/bin/env bash
# `make bench`: run every benchmark in bench/ (or the ones named: run-bench.sh reads event_lag)
# against a private stack (test profile) with the demo loaded, then stop it.
set -uo pipefail
export MERIDIAN_PROFILE=test
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
trap '"$here/stack.sh" down >/dev/null 2>&1 || true' EXIT
"$here/stack.sh" up || exit 1
# bench.reads reads the demo alliance; the other benchmarks create their own data.
MERIDIAN_SEED_DEMO=1 "$here/seed-demo.sh" || exit 1
cd "$MERIDIAN_ROOT"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for bench in bench/[a-z]*.py; do names+=("$(basename "$bench" .py)"); done
fi
status=0
for name in "${names[@]}"; do
  echo "=== bench.$name"
  python -m "bench.$name" || status=1
done
exit $status
