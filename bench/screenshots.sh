#!/usr/bin/env bash
# Renders the studio's main views of the demo model to PNG offscreen (no display needed) into
# resources/screenshots/, the pictures the README shows:
#   bash bench/screenshots.sh [BUILD_DIR] [OUT_DIR]
# Needs the studio_screenshots and demo_model targets built.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
OUT="${2:-$ROOT/resources/screenshots}"
DRIVER="$BUILD/bench/studio_screenshots"
DEMO="$BUILD/resources/demo/demo_cnn.pt"
[ -x "$DRIVER" ] || { echo "screenshots.sh: $DRIVER is missing; build the studio_screenshots target" >&2; exit 1; }
[ -f "$DEMO" ] || { echo "screenshots.sh: $DEMO is missing; build the demo_model target" >&2; exit 1; }
QT_QPA_PLATFORM=offscreen "$DRIVER" "$DEMO" "$OUT"
du -ch "$OUT"/*.png | tail -1
