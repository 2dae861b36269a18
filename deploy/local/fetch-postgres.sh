#!/usr/bin/env bash
# Installs PostgreSQL (Debian's package) when the machine lacks it and prints its bin directory.
# FerretDB stores its data there (MERIDIAN_FERRETDB_BACKEND=postgresql); the local stack runs its
# own cluster under supervisord on MERIDIAN_POSTGRES_PORT (run-postgres.sh), never the system one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

bindir() {
  # Debian keeps the server binaries per major version, outside PATH; elsewhere they are on PATH.
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/postgres" ]; then
    echo "$found"
  elif command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    dirname "$(command -v postgres)"
  else
    return 1
  fi
}

if bindir; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL is missing: install PostgreSQL 13 or newer (initdb, postgres), then run this again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing postgresql (first run only)..." >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends postgresql >&2
# The package may create and start a system-wide cluster of its own; the stack does not use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet postgresql 2>/dev/null; then
  $sudo systemctl disable --now postgresql >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
  $sudo service postgresql stop >/dev/null 2>&1 || true
fi
bindir
