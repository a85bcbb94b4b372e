#!/usr/bin/env bash
# Regenerate the example development plans (and the screenshot, when Chromium is there).
# A test checks that the committed reports match what qim renders now.
set -euo pipefail
cd "$(dirname "$0")/../.."
qim=${QIM:-qim}
for name in nurse-early-career physician-experienced; do
  "$qim" report "examples/$name.toml" --format html -o "examples/reports/$name.html" --force
  "$qim" report "examples/$name.toml" --format markdown -o "examples/reports/$name.md" --force
done
if command -v chromium >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp" --hide-scrollbars --window-size=1000,1500 \
    --screenshot="$PWD/examples/reports/nurse-early-career.png" \
    "file://$PWD/examples/reports/nurse-early-career.html" 2>/dev/null
  rm -rf "$tmp"
fi
