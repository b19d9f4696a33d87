#!/usr/bin/env bash
# Screenshots of report.html in headless Chromium, at desktop and phone widths.
#
#   scripts/screenshot.sh [REPORT_HTML] [OUT_DIR]
#
# Defaults: output/report.html, output/screenshots. Writes desktop.png
# (1280 px wide) and phone.png (390 px wide), each tall enough for the whole
# page. Needs Debian's `chromium` and `fonts-noto-cjk` (so Chinese shows);
# exits 77 ("skipped") when Chromium is not installed. The page makes no
# request, and Chromium is told not to make any of its own.
set -euo pipefail

report=${1:-output/report.html}
out=${2:-output/screenshots}
desktop_size=${DESKTOP_SIZE:-1280,9000}
phone_size=${PHONE_SIZE:-390,16000}

browser=""
for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
        browser=$(command -v "$candidate")
        break
    fi
done
if [ -z "$browser" ]; then
    echo "screenshot: chromium not found; install Debian's chromium and fonts-noto-cjk" >&2
    exit 77
fi
if [ ! -f "$report" ]; then
    echo "screenshot: no report at \`$report\`; run \`govwx run\` first" >&2
    exit 1
fi

mkdir -p "$out"
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() {
    local file=$1 size=$2
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$profile" --screenshot="$file" --window-size="$size" \
        "$url" >/dev/null 2>&1
    if [ ! -s "$file" ]; then
        echo "screenshot: chromium wrote no \`$file\`" >&2
        exit 1
    fi
    echo "$file"
}

shoot "$out/desktop.png" "$desktop_size"
shoot "$out/phone.png" "$phone_size"
