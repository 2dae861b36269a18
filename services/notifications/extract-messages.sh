#!/usr/bin/env bash
# Re-extracts the notification mails' messages and merges them into every catalogue (run after
# changing texts; then translate the new entries and run compile-translations.sh).
set -euo pipefail
cd "$(dirname "$0")"
pybabel extract --no-location --sort-output -F babel.cfg \
  -o meridian_notifications/translations/messages.pot .
pybabel update --no-fuzzy-matching --ignore-obsolete \
  -i meridian_notifications/translations/messages.pot -d meridian_notifications/translations
