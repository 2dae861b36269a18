#!/usr/bin/env bash
# Installs Debian's Chromium for the portal's browser tests (Playwright drives it through
# executable_path=/usr/bin/chromium; Playwright's own browser downloads are not used).
set -euo pipefail
# A CJK font too: screenshots of the Chinese pages would otherwise show empty boxes.
if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/wqy ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Chromium is missing and this user cannot install it: apt-get install chromium" >&2
  exit 1
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing chromium (Debian) for the browser tests" >&2
run env DEBIAN_FRONTEND=noninteractive apt-get update -q
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-wqy-zenhei
