#!/bin/sh
# Runs the container's command after preparing what every Meridian process expects.
# prometheus-client's multiprocess mode writes one file per process into
# PROMETHEUS_MULTIPROC_DIR: the directory must exist, and files left by a previous run of this
# container (a restart keeps /tmp) would keep dead processes' samples alive.
set -eu
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
fi
exec "$@"
