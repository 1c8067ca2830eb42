#!/usr/bin/env bash
# Prints a report to PDF in headless Chromium, as an office would print it (A4), and writes a PNG of every page
# here (page-01.png, …): the screenshots the README links to.
#
#   npm run demo                                   then, with the report URL it prints:
#   bash docs/report/screenshots.sh http://127.0.0.1:3000/v1/public/publications/<id>/report
#
# Needs Debian's chromium and poppler-utils (pdftoppm).
set -euo pipefail
url=${1:?the report URL}
here=$(cd "$(dirname "$0")" && pwd)
pdf=$(mktemp --suffix=.pdf)
trap 'rm -f "$pdf"' EXIT
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$pdf" "$url" 2>/dev/null
rm -f "$here"/page-*.png
pdftoppm -r 70 -png "$pdf" "$here/page"
ls "$here"/page-*.png | wc -l | xargs echo "pages written to $here:"
