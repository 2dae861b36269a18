#!/usr/bin/env bash
# Prints where to go once the local stack is up.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cat <<TXT

Meridian is up ($MERIDIAN_PROFILE profile).
  Portal          $MERIDIAN_GATEWAY_URL/   (sign in as a demo person: $MERIDIAN_GATEWAY_URL/dev/sign-in)
  Mail inbox      $MERIDIAN_MAIL_URL/   (Mailpit: every e-mail Meridian sent; SMTP 127.0.0.1:$MERIDIAN_SMTP_PORT)
  API gateway     $MERIDIAN_GATEWAY_URL/api/v1
  API docs        $MERIDIAN_GATEWAY_URL/api/docs
  OpenAPI         $MERIDIAN_GATEWAY_URL/api/v1/openapi.json
  Catalog         $MERIDIAN_GATEWAY_URL/api/v1/courses?q=acupuncture
  Health          $MERIDIAN_GATEWAY_URL/readyz   metrics: $MERIDIAN_GATEWAY_URL/metrics
  Services        catalog $MERIDIAN_CATALOG_URL  enrollment $MERIDIAN_ENROLLMENT_URL  classroom $MERIDIAN_CLASSROOM_URL
                  notifications $MERIDIAN_NOTIFICATIONS_URL
  Kafka           $MERIDIAN_KAFKA_BOOTSTRAP     MongoDB (FerretDB) $MERIDIAN_MONGO_URI
  Logs            $MERIDIAN_RUN_DIR/logs  (make logs, make status)

A token for trying things (dev auth is on in the local stack):
  curl -s -X POST $MERIDIAN_GATEWAY_URL/api/v1/auth/dev-token -H 'Content-Type: application/json' \\
       -d '{"sub": "me", "roles": ["student"], "timezone": "Asia/Shanghai", "email": "me@example.edu", "locale": "zh-Hans"}'
Stop everything with: make down
TXT
