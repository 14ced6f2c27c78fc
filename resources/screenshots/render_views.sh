#!/usr/bin/env bash
# Renders the studio's views of the demo model to PNG (offscreen, no display needed):
#   bash resources/screenshots/render_views.sh [BUILD_DIR] [OUT_DIR]
# writes OUT_DIR/studio_window.png (the whole window) and OUT_DIR/graph_view.png (the graph panel).
# Defaults: build, BUILD_DIR/screenshots. The PNGs are not committed; the README's copy is
# resources/screenshots/graph_view.png, refreshed by hand from this output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
OUT="${2:-$BUILD/screenshots}"
STUDIO="$BUILD/bin/coreml-studio"
DEMO="$BUILD/resources/demo/demo_cnn.pt"
[ -x "$STUDIO" ] || { echo "render_views.sh: $STUDIO is missing; build coreml-studio first" >&2; exit 1; }
[ -f "$DEMO" ] || { echo "render_views.sh: $DEMO is missing; build the demo_model target first" >&2; exit 1; }
QT_QPA_PLATFORM=offscreen "$STUDIO" --screenshot "$OUT" "$DEMO"
ls -l "$OUT"/studio_window.png "$OUT"/graph_view.png
