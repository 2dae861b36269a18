#!/usr/bin/env bash
# Runs the stack's own PostgreSQL cluster (FerretDB's storage) in the foreground: initialised once
# under $MERIDIAN_RUN_DIR/postgres, listening on 127.0.0.1:$MERIDIAN_POSTGRES_PORT over TCP only.
# PostgreSQL refuses to run as root, so as root it runs as the unprivileged `postgres` user that
# Debian's package creates (or `meridian-postgres`, created here when that user is missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
bin="$("$here/fetch-postgres.sh")"
dir="$MERIDIAN_RUN_DIR/postgres"
data="$dir/data"
mkdir -p "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  if ! id -u "$owner" >/dev/null 2>&1; then
    owner=meridian-postgres
    id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  chown "$owner:" "$dir"
  as_owner=(setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups --)
  if ! "${as_owner[@]}" test -w "$dir"; then
    echo "user $owner cannot reach $dir (a parent directory is closed to it):" \
      "set MERIDIAN_RUN_DIR to a directory it can reach" >&2
    exit 1
  fi
fi
cd "$dir"
if [ ! -f "$data/PG_VERSION" ]; then
  # Initialise beside the final place, so an interrupted initdb is simply redone next time.
  rm -rf "$data.new"
  # Local only (loopback, trust) like the rest of the stack; UTF8 and the C locale as FerretDB asks.
  "${as_owner[@]}" "$bin/initdb" -D "$data.new" -U meridian --auth=trust --encoding=UTF8 \
    --no-locale --no-instructions >/dev/null
  mv "$data.new" "$data"
fi
# max_connections: FerretDB's whole pool, plus 50 for bench/ferretdb_backends.py's own FerretDB
# (pool of 40), psql sessions and PostgreSQL's 3 slots reserved for superusers.
# log_min_messages=log (start, stop, checkpoints; not ERROR): failed statements, routinely the
# duplicate keys of the services' unique-index inserts, go back to FerretDB, which logs them.
# autovacuum_naptime=10s: a new collection gets statistics within seconds (not a minute), and
# without them PostgreSQL overestimates every equality and scans instead of using the GIN index.
# max_parallel_workers_per_gather=0: PostgreSQL estimates each containment FerretDB sends at 1 %
# of the rows, so a `$in` of a few values on a 20,000-document collection looks big enough to
# start a parallel worker, and starting one costs more than the whole query: the relay's
# 9-slot `$in` (0 rows) took 7.5 ms with a worker, 0.12 ms without (EXPLAIN ANALYZE). The
# services' queries read a few rows by index; none gains from parallelism.
exec "${as_owner[@]}" "$bin/postgres" -D "$data" \
  -c listen_addresses=127.0.0.1 -c port="$MERIDIAN_POSTGRES_PORT" -c unix_socket_directories= \
  -c max_connections="$((MERIDIAN_POSTGRES_POOL + 50))" -c log_min_messages=log \
  -c autovacuum_naptime=10s -c max_parallel_workers_per_gather=0
