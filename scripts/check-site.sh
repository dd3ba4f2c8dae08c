#!/usr/bin/env bash
# Usage: scripts/check-site.sh [SITE [SCREENSHOT_DIR]]   (make site)
#        scripts/check-site.sh --self-test [SITE]
# Renders every page of the built site (default site/) in headless Chromium
# and fails, naming the page, on a page that does not load, a broken
# internal link or #anchor, an image, script or style sheet that does not
# load, or a JavaScript error; saves screenshots of the home page, the
# reference index and the "Get started" article (default
# site-build/screenshots/). --self-test plants each kind of fault in a copy
# of the site and fails unless every one is reported. See
# scripts/check_site.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v chromium >/dev/null 2>&1 ||
  { echo "check-site: no chromium; run: bash scripts/install-deps.sh --site" >&2; exit 1; }
/usr/bin/python3 -c 'import websocket' 2>/dev/null ||
  { echo "check-site: no python3-websocket; run: bash scripts/install-deps.sh --site" >&2; exit 1; }
if [ "${1:-}" = "--self-test" ]; then
  exec /usr/bin/python3 "$root/scripts/check_site.py" --self-test "${2:-$root/site}"
fi
exec /usr/bin/python3 "$root/scripts/check_site.py" "${1:-$root/site}" "${2:-$root/site-build/screenshots}"
