#!/usr/bin/env bash
# The graph view at scale: time to first paint with groups collapsed, expanding, and the frame times of
# panning across the scene (collapsed, and with every group expanded), measured by the graph_view_open
# driver offscreen for torchvision's ViT-B/16, a 24-layer transformer traced to 5,000+ nodes (both
# generated with random weights by gen_graph_models.py), densenet121 and resnet18 (test fixtures), and a
# synthetic 5,000-node graph built in memory. Then the whole process, as the studio opens a model: from
# before the exec to the first painted frame (libraries, window, import, view, paint; lowering and passes
# follow on the worker), and to the graph shown again with its shapes and ML Program.
# Prints the figures; copy them into bench/graph_view_results.md and the README with the date and commit.
#   bash bench/graph_view_open.sh [BUILD_DIR] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
RUNS="${2:-5}"
DRIVER="$BUILD/bench/graph_view_open"
MODELS="$BUILD/bench/models"
[ -x "$DRIVER" ] || { echo "graph_view_open.sh: $DRIVER is missing; build the graph_view_open target" >&2; exit 1; }
/usr/bin/python3 "$ROOT/bench/gen_graph_models.py" "$MODELS" 2>/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD)"

# name, file, input name, input shape (the --input form after the name)
cases=(
    "vit_b_16|$MODELS/vit_b_16.pt|x|1x3x224x224"
    "transformer24|$MODELS/transformer24.pt|ids|1x64:dtype=int32"
    "densenet121|$BUILD/tests/models/tv_densenet121.pt|x|1x3x224x224"
    "resnet18|$BUILD/tests/models/tv_resnet18.pt|x|1x3x224x224"
)
for c in "${cases[@]}"; do
    IFS='|' read -r name file input shape <<<"$c"
    [ -f "$file" ] || { echo "graph_view_open.sh: $file is missing (run the generate_models test first)" >&2; exit 1; }
    echo "== $name"
    QT_QPA_PLATFORM=offscreen "$DRIVER" "$file" "$shape" "$RUNS" 2>/dev/null
done
echo "== synthetic"
QT_QPA_PLATFORM=offscreen "$DRIVER" --synthetic 48 "$RUNS" 2>/dev/null

# Whole process, as `coreml-studio MODEL` opens it: exec and libraries, the main window, import on the
# worker, view models, layout and the first frame; then lowering and passes until the ML Program shows.
for c in "${cases[@]:0:3}"; do
    IFS='|' read -r name file input shape <<<"$c"
    for run in 1 2 3; do
        start=$(date +%s%3N)
        out=$(QT_QPA_PLATFORM=offscreen "$DRIVER" "$file" "$input:$shape" --epoch 2>/dev/null)
        painted=$(sed -n 's/^first-paint-epoch-ms: //p' <<<"$out")
        atMain=$(sed -n 's/^main-epoch-ms: //p' <<<"$out")
        echo "whole process $name run $run: $((painted - start)) ms to first paint (exec to main $((atMain - start)) ms; $(sed -n 's/^window/window/p' <<<"$out"))"
        echo "    $(sed -n 's/^process CPU/process CPU/p' <<<"$out"); $(sed -n 's/^ops drawn/ops drawn/p' <<<"$out")"
        echo "    $(sed -n 's/^startup: //p' <<<"$out")"
    done
done
