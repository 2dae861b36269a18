#!/usr/bin/env bash
# Compiles the notification mails' catalogues (.po → .mo, next to them; .mo files are build
# output, not committed). Usage: services/notifications/compile-translations.sh [path/to/pybabel]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pybabel="${1:-pybabel}"
"$pybabel" compile --statistics -d "$here/meridian_notifications/translations" 2>&1 | grep -v '^$' || true
test -n "$(find "$here/meridian_notifications/translations" -name messages.mo)"
