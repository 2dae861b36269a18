#!/usr/bin/env bash
# Runs FerretDB (MongoDB wire protocol) in the foreground on the backend that
# MERIDIAN_FERRETDB_BACKEND names: `postgresql` (the stack's own cluster, run-postgres.sh) or
# `sqlite` (files under $MERIDIAN_RUN_DIR/ferretdb/data).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
dir="$MERIDIAN_RUN_DIR/ferretdb"
mkdir -p "$dir"
common=(--listen-addr="127.0.0.1:$MERIDIAN_MONGO_PORT" --state-dir="$dir" --telemetry=disable
  --debug-addr=- --log-level=warn)
bin="$MERIDIAN_CACHE/bin/ferretdb-$FERRETDB_BUILD"
case "$MERIDIAN_FERRETDB_BACKEND" in
  sqlite)
    mkdir -p "$dir/data"
    exec "$bin" "${common[@]}" --handler=sqlite --sqlite-url="file:$dir/data/"
    ;;
  postgresql)
    pg_bin="$("$here/fetch-postgres.sh")"
    psql=("$pg_bin/psql" -h 127.0.0.1 -p "$MERIDIAN_POSTGRES_PORT" -U meridian -d postgres -qtAX)
    # supervisord starts PostgreSQL first but does not wait for it to accept connections.
    for _ in $(seq 1 120); do
      "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$MERIDIAN_POSTGRES_PORT" -U meridian -d postgres && break
      sleep 0.5
    done
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'")" ]; then
      "${psql[@]}" -c "CREATE DATABASE ferretdb"
    fi
    # FerretDB spells pushed-down equality and `$in` as OR-ed `_jsonb @> ...` (one or two arms
    # per value, ferretdb-id-index.patch). PostgreSQL costs each `@>` like one integer compare,
    # but on a sequential scan each arm detoasts and walks the whole document: a `$in` of 20 ids
    # was planned as a scan of 4,000 enrollments taking 1,077 ms against 0.5 ms through the GIN
    # index. The real price of jsonb_contains makes the planner take the index.
    "${psql[@]/#postgres/ferretdb}" -c "ALTER FUNCTION jsonb_contains(jsonb, jsonb) COST 50"
    # pool_max_conn_idle_time: idle connections go back to PostgreSQL after a minute.
    url="postgres://meridian@127.0.0.1:$MERIDIAN_POSTGRES_PORT/ferretdb"
    url="$url?pool_max_conns=$MERIDIAN_POSTGRES_POOL&pool_max_conn_idle_time=1m"
    exec "$bin" "${common[@]}" --handler=postgresql --postgresql-url="$url"
    ;;
  *)
    echo "MERIDIAN_FERRETDB_BACKEND must be postgresql or sqlite, not '$MERIDIAN_FERRETDB_BACKEND'" >&2
    exit 2
    ;;
esac
