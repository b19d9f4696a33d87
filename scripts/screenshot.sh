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
# The page's file URL, every byte but unreserved ones percent-encoded (a
# path may hold spaces, `#`, `"` or Chinese).
percent_encode() {
    local LC_ALL=C text=$1 encoded="" c i
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        case $c in
            [a-zA-Z0-9/._~-]) encoded+=$c ;;
            *) printf -v c '%%%02X' "'$c"; encoded+=$c ;;
        esac
    done
    printf '%s' "$encoded"
}
url="file://$(percent_encode "$(cd "$(dirname "$report")" && pwd)/$(basename "$report")")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() {
    local file=$1 size=$2 page=$3
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --force-device-scale-factor=1 \
        --user-data-dir="$profile" --screenshot="$file" --window-size="$size" \
        "$page" >/dev/null 2>&1
    if [ ! -s "$file" ]; then
        echo "screenshot: chromium wrote no \`$file\`" >&2
        exit 1
    fi
    echo "$file"
}

# Headless Chromium lays a window out at least 500 px wide whatever its
# size, so the phone shot frames the page in an iframe of the phone's size
# (its own viewport, media queries and all) and shoots the frame.
phone_frame() {
    local width=${1%,*} height=${1#*,}
    printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="%s" style="width:%spx;height:%spx;border:0;display:block"></iframe></body></html>\n' \
        "$url" "$width" "$height" >"$profile/phone.html"
    echo "file://$profile/phone.html"
}

shoot "$out/desktop.png" "$desktop_size" "$url"
shoot "$out/phone.png" "$phone_size" "$(phone_frame "$phone_size")"
