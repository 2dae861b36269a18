# Shared settings for the local stack; sourced by every script in deploy/local.
# Precedence: variables already in the environment, then profiles/$MERIDIAN_PROFILE.env.
_meridian_local="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${MERIDIAN_CACHE:=$HOME/.cache/meridian}"
: "${KAFKA_VERSION:=3.9.2}"
: "${FERRETDB_VERSION:=v1.24.2}"
: "${MAILPIT_VERSION:=v1.33.1}"
# The binary's name carries our patch (ferretdb-id-index.patch), so caches of older builds rebuild.
FERRETDB_BUILD="$FERRETDB_VERSION-id-index-4"
: "${MERIDIAN_PROFILE:=local}"
while IFS='=' read -r _name _value; do
  case "$_name" in ''|'#'*) continue ;; esac
  [ -z "${!_name+x}" ] && export "$_name=$_value"
done < "$_meridian_local/profiles/$MERIDIAN_PROFILE.env"
MERIDIAN_ROOT="$(cd "$_meridian_local/../.." && pwd)"
# FerretDB's storage: `postgresql` (Debian's PostgreSQL under supervisord) or `sqlite` (one
# process, far slower: see docs/decisions/0008-ferretdb-postgresql.md).
: "${MERIDIAN_FERRETDB_BACKEND:=postgresql}"
# On SQLite every query scans: the outbox relay then finds events with one query a round, by
# time, instead of one per second of writes (docs/decisions/0002-outbox-embedded-events.md).
if [ "$MERIDIAN_FERRETDB_BACKEND" = sqlite ]; then
  : "${MERIDIAN_RELAY_FIND_BY:=time}"
  export MERIDIAN_RELAY_FIND_BY
fi
# FerretDB's pool to PostgreSQL (pool_max_conns; PostgreSQL's max_connections is this + 50).
# Each FerretDB update holds one connection while it waits for a second, so a pool no larger
# than the concurrent operations locks FerretDB up: 500 > the stack's 112 + the suite's 300
# concurrent updates (the arithmetic is in docs/decisions/0008-ferretdb-postgresql.md).
: "${MERIDIAN_POSTGRES_POOL:=500}"
: "${MERIDIAN_RUN_DIR:=$MERIDIAN_ROOT/.run/$MERIDIAN_PROFILE}"
: "${MERIDIAN_VENV:=$MERIDIAN_ROOT/.venv}"
export MERIDIAN_CACHE KAFKA_VERSION FERRETDB_VERSION FERRETDB_BUILD MAILPIT_VERSION MERIDIAN_PROFILE MERIDIAN_ROOT \
  MERIDIAN_RUN_DIR MERIDIAN_VENV MERIDIAN_FERRETDB_BACKEND MERIDIAN_POSTGRES_POOL
export MERIDIAN_KAFKA_BOOTSTRAP="${MERIDIAN_KAFKA_BOOTSTRAP:-127.0.0.1:$MERIDIAN_KAFKA_PORT}"
export MERIDIAN_MONGO_URI="${MERIDIAN_MONGO_URI:-mongodb://127.0.0.1:$MERIDIAN_MONGO_PORT/}"
export MERIDIAN_GATEWAY_URL="${MERIDIAN_GATEWAY_URL:-http://127.0.0.1:$MERIDIAN_GATEWAY_PORT}"
export MERIDIAN_CATALOG_URL="${MERIDIAN_CATALOG_URL:-http://127.0.0.1:$MERIDIAN_CATALOG_PORT}"
export MERIDIAN_ENROLLMENT_URL="${MERIDIAN_ENROLLMENT_URL:-http://127.0.0.1:$MERIDIAN_ENROLLMENT_PORT}"
export MERIDIAN_CLASSROOM_URL="${MERIDIAN_CLASSROOM_URL:-http://127.0.0.1:$MERIDIAN_CLASSROOM_PORT}"
export MERIDIAN_NOTIFICATIONS_URL="${MERIDIAN_NOTIFICATIONS_URL:-http://127.0.0.1:$MERIDIAN_NOTIFICATIONS_PORT}"
# Notification mail goes to the stack's Mailpit (plain SMTP on loopback, no credentials);
# production sets MERIDIAN_SMTP_HOST/PORT/STARTTLS/USER/PASSWORD (docs/notifications.md).
export MERIDIAN_SMTP_HOST="${MERIDIAN_SMTP_HOST:-127.0.0.1}"
export MERIDIAN_MAIL_URL="${MERIDIAN_MAIL_URL:-http://127.0.0.1:$MERIDIAN_MAIL_UI_PORT}"
# Signs the unsubscribe links of local mail only; production takes it from a secret.
export MERIDIAN_UNSUBSCRIBE_SECRET="${MERIDIAN_UNSUBSCRIBE_SECRET:-local-unsubscribe-secret-$MERIDIAN_PROFILE}"
export MERIDIAN_PORTAL_URL="${MERIDIAN_PORTAL_URL:-http://127.0.0.1:$MERIDIAN_PORTAL_PORT}"
# Database 1: the rate limiter counts in database 0 of the same Redis.
export MERIDIAN_PORTAL_SESSION_REDIS_URL="${MERIDIAN_PORTAL_SESSION_REDIS_URL:-redis://127.0.0.1:$MERIDIAN_REDIS_PORT/1}"
export MERIDIAN_RATE_LIMIT_STORAGE="${MERIDIAN_RATE_LIMIT_STORAGE:-redis://127.0.0.1:$MERIDIAN_REDIS_PORT/0}"
export MERIDIAN_DEV_AUTH="${MERIDIAN_DEV_AUTH:-1}"
export MERIDIAN_DEV_AUTH_PRIVATE_KEY_FILE="${MERIDIAN_DEV_AUTH_PRIVATE_KEY_FILE:-$MERIDIAN_RUN_DIR/keys/dev-jwt-private.pem}"
export MERIDIAN_JWT_PUBLIC_KEY_FILE="${MERIDIAN_JWT_PUBLIC_KEY_FILE:-$MERIDIAN_RUN_DIR/keys/dev-jwt-public.pem}"
export MERIDIAN_SUPERVISOR_CONF="$MERIDIAN_RUN_DIR/supervisord.conf"
export PATH="$MERIDIAN_VENV/bin:$PATH"
