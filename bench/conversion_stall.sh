#!/usr/bin/env bash
# The studio's GUI thread during a resnet50 conversion (fp16): the longest event-loop stall seen by a
# 1 ms timer while the job runs on the worker with the progress and results widgets shown, and how long
# a cancel takes to stop the job at each stage. Prints the figures for the README.
#   bash bench/conversion_stall.sh [BUILD_DIR] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
DRIVER="$BUILD/bench/conversion_stall"
MODEL="$BUILD/tests/models/tv_resnet50.pt"
[ -x "$DRIVER" ] || { echo "conversion_stall.sh: $DRIVER is missing; build the conversion_stall target" >&2; exit 1; }
[ -f "$MODEL" ] || { echo "conversion_stall.sh: $MODEL is missing; run the generate_models test first" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD)"
QT_QPA_PLATFORM=offscreen "$DRIVER" "$MODEL" 1x3x224x224 "${2:-5}" 2>/dev/null
