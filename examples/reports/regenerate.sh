#!/usr/bin/env bash
# Regenerate the example reports, and (when Chromium and poppler-utils are there) their
# pictures: a desktop and a phone screenshot, and the first printed A4 page.
# A test checks that the committed reports match what qim renders now.
set -euo pipefail
cd "$(dirname "$0")/../.."
qim=${QIM:-qim}
out=examples/reports

for name in nurse-early-career physician-experienced; do
  "$qim" report "examples/$name.toml" --format html -o "$out/$name.html" --force
  "$qim" report "examples/$name.toml" --format markdown -o "$out/$name.md" --force
done
"$qim" report examples/360 --format html -o "$out/rn-ward7-360.html" --force
"$qim" report examples/360 --format markdown -o "$out/rn-ward7-360.md" --force
for fmt in html markdown; do
  ext=$([ "$fmt" = markdown ] && echo md || echo html)
  "$qim" cohort examples/cohort examples/context --title "Example cohort" --format "$fmt" -o "$out/cohort.$ext" --force
  # the nurse a year on: the review of last year's plan, for her appraisal
  "$qim" compare examples/nurse-early-career.toml examples/nurse-early-career-2027.toml \
    --format "$fmt" -o "$out/rn-ward7-review.$ext" --force
done

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ] || ! command -v pdftoppm >/dev/null 2>&1; then
  echo "regenerate.sh: Chromium or pdftoppm missing: pictures not made" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
browse() {  # browse ARGS... FILE: headless Chromium on this machine, nothing loaded from elsewhere
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --hide-scrollbars --force-device-scale-factor=1 "$@" 2>/dev/null
}
for name in nurse-early-career rn-ward7-360 cohort; do
  page="file://$PWD/$out/$name.html"
  browse --window-size=1280,1000 --screenshot="$PWD/$out/$name-desktop.png" "$page"
  browse --window-size=390,1300 --screenshot="$PWD/$out/$name-phone.png" "$page"
  browse --no-pdf-header-footer --print-to-pdf="$tmp/$name.pdf" "$page"
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/$name.pdf" "$out/$name-page1"
  echo "$name: $(pdfinfo "$tmp/$name.pdf" | sed -n 's/^Pages: *//p') printed pages" >&2
done
