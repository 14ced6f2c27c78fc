#!/usr/bin/env bash
# Time to first paint of the graph view with groups collapsed (densenet121 and resnet18 fixtures, and a
# synthetic 5,000-node transformer),
# measured by the graph_view_open driver offscreen. Prints the figures; copy them into
# bench/graph_view_results.md with the date, commit and load average.
#   bash bench/graph_view_open.sh [BUILD_DIR] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
RUNS="${2:-5}"
DRIVER="$BUILD/bench/graph_view_open"
[ -x "$DRIVER" ] || { echo "graph_view_open.sh: $DRIVER is missing; build the graph_view_open target" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD)"
for model in densenet121 resnet18; do
    file="$BUILD/tests/models/tv_$model.pt"
    [ -f "$file" ] || { echo "graph_view_open.sh: $file is missing; run the generate_models test first" >&2; exit 1; }
    QT_QPA_PLATFORM=offscreen "$DRIVER" "$file" 1x3x224x224 "$RUNS"
    echo
done
# 5,000+ nodes: a transformer encoder written out op by op, 48 layers (built in memory, no shapes).
QT_QPA_PLATFORM=offscreen "$DRIVER" --synthetic 48 "$RUNS"
