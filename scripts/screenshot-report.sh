#!/usr/bin/env bash
# Renders the HTML report of the demo database and screenshots it with headless Chromium
# (Debian's `chromium` package), as shown in the README: docs/images/report.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$OLDPWD/.venv/bin/auditready" demo >/dev/null)
DATABASE_URL="sqlite:///$work/auditready-demo.db" .venv/bin/auditready report --format html \
  --output "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/chromium" --hide-scrollbars --window-size=1280,2900 \
  --screenshot="$PWD/docs/images/report.png" "file://$work/report.html"
