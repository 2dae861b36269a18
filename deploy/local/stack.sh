#!/usr/bin/env bash
# Starts, stops and inspects the local stack under supervisord.
#   stack.sh up | down | status | logs [program] | ready
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

render_config() {
  MERIDIAN_POSTGRES_AUTOSTART=false
  [ "$MERIDIAN_FERRETDB_BACKEND" = postgresql ] && MERIDIAN_POSTGRES_AUTOSTART=true
  export MERIDIAN_POSTGRES_AUTOSTART
  mkdir -p "$MERIDIAN_RUN_DIR/logs" "$MERIDIAN_RUN_DIR/prometheus"
  python3 -c 'import os,sys; sys.stdout.write(os.path.expandvars(open(sys.argv[1]).read()))' \
    "$here/supervisord.conf.in" > "$MERIDIAN_SUPERVISOR_CONF"
}

running() {
  [ -f "$MERIDIAN_RUN_DIR/supervisord.pid" ] && kill -0 "$(cat "$MERIDIAN_RUN_DIR/supervisord.pid")" 2>/dev/null
}

ready_urls() {
  local port
  for port in "$MERIDIAN_CATALOG_PORT" "$MERIDIAN_ENROLLMENT_PORT" "$MERIDIAN_CLASSROOM_PORT" \
      "$MERIDIAN_NOTIFICATIONS_PORT" "$MERIDIAN_PORTAL_PORT" "$MERIDIAN_GATEWAY_PORT"; do
    echo "http://127.0.0.1:$port/readyz"
  done
  # Mailpit's own readiness endpoint (its web server answers once its store is open).
  echo "$MERIDIAN_MAIL_URL/readyz"
}

# check_ports_free tcp|udp PORT...
check_ports_free() {
  python3 - "$@" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
busy = []
for port in sys.argv[2:]:
    with socket.socket(socket.AF_INET, kind) as probe:
        if kind == socket.SOCK_STREAM:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", int(port)))
        except OSError:
            busy.append(f"{port}/{sys.argv[1]}")
if busy:
    sys.exit(f"ports already in use: {', '.join(busy)} (another stack or program?); "
             "stop it or choose other MERIDIAN_*_PORT values")
PY
}

case "${1:-}" in
  up)
    "$here/fetch-kafka.sh"
    "$here/fetch-ferretdb.sh"
    "$here/fetch-redis.sh" >/dev/null
    "$here/fetch-mailpit.sh"
    database_ports=("$MERIDIAN_MONGO_PORT")
    if [ "$MERIDIAN_FERRETDB_BACKEND" = postgresql ]; then
      "$here/fetch-postgres.sh" >/dev/null
      database_ports+=("$MERIDIAN_POSTGRES_PORT")
    fi
    meridian dev-keys "$MERIDIAN_RUN_DIR/keys"
    if running; then
      echo "stack ($MERIDIAN_PROFILE) already running"
    else
      check_ports_free tcp "$MERIDIAN_GATEWAY_PORT" "$MERIDIAN_CATALOG_PORT" "$MERIDIAN_ENROLLMENT_PORT" \
        "$MERIDIAN_CLASSROOM_PORT" "$MERIDIAN_NOTIFICATIONS_PORT" "$MERIDIAN_PORTAL_PORT" \
        "$MERIDIAN_SMTP_PORT" "$MERIDIAN_MAIL_UI_PORT" "$MERIDIAN_KAFKA_PORT" "$MERIDIAN_KAFKA_CONTROLLER_PORT" \
        "$MERIDIAN_REDIS_PORT" "${database_ports[@]}"
      check_ports_free udp "$MERIDIAN_CATALOG_NUDGE_PORT" "$MERIDIAN_ENROLLMENT_NUDGE_PORT" \
        "$MERIDIAN_CLASSROOM_NUDGE_PORT"
      render_config
      rm -rf "$MERIDIAN_RUN_DIR/prometheus"/*
      export PROMETHEUS_MULTIPROC_DIR="$MERIDIAN_RUN_DIR/prometheus"
      supervisord -c "$MERIDIAN_SUPERVISOR_CONF"
    fi
    meridian topics ensure --timeout 90
    # The workers start after their topics exist: a consumer that joined its group while a
    # topic was being created was left without partitions (the consumer waits for them too).
    stopped=()
    for worker in catalog-worker enrollment-worker classroom-worker notifications-worker; do
      state="$(supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" status "$worker" | awk '{print $2}' || true)"
      case "$state" in RUNNING|STARTING) ;; *) stopped+=("$worker") ;; esac
    done
    if [ ${#stopped[@]} -gt 0 ]; then
      supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" start "${stopped[@]}" >/dev/null
    fi
    if ! meridian wait-ready --timeout 120 $(ready_urls); then
      supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" status || true
      echo "the stack did not become ready; see $MERIDIAN_RUN_DIR/logs" >&2
      exit 1
    fi
    ;;
  down)
    if running; then
      # Remember the children first: if supervisord has to be killed, they must not linger.
      children="$(supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" pid all 2>/dev/null | grep -E '^[0-9]+$' || true)"
      supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" shutdown >/dev/null || true
      for _ in $(seq 1 60); do running || break; sleep 0.5; done
      if running; then
        kill -9 "$(cat "$MERIDIAN_RUN_DIR/supervisord.pid")" || true
        for pid in $children; do
          pkill -9 -P "$pid" 2>/dev/null || true
          kill -9 "$pid" 2>/dev/null || true
        done
      fi
    fi
    echo "stack ($MERIDIAN_PROFILE) stopped"
    ;;
  status)
    if running; then supervisorctl -c "$MERIDIAN_SUPERVISOR_CONF" status || true
    else echo "stack ($MERIDIAN_PROFILE) is not running"; fi
    ;;
  logs)
    if [ -n "${2:-}" ]; then tail -n 200 -F "$MERIDIAN_RUN_DIR/logs/$2.log"
    else tail -n 20 -F "$MERIDIAN_RUN_DIR"/logs/*.log; fi
    ;;
  ready)
    meridian wait-ready --timeout "${2:-120}" $(ready_urls)
    ;;
  *)
    echo "usage: $0 up|down|status|logs [program]|ready" >&2
    exit 2
    ;;
esac
