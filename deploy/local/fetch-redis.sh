#!/usr/bin/env bash
# Installs redis-server (Debian's package) when the machine lacks it. The gateway keeps its
# rate-limit counters there so every gunicorn worker shares them; the local stack runs its own
# instance under supervisord on MERIDIAN_REDIS_PORT (not 6379, which a system Redis may hold).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is missing: install Redis 6 or newer, then run this again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing redis-server (first run only)..."
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
# The package may start a system-wide daemon of its own; the stack does not use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $sudo systemctl disable --now redis-server >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
  $sudo service redis-server stop >/dev/null 2>&1 || true
fi
command -v redis-server
