#!/usr/bin/env bash
# Times resnet50 (fp32) through our ML Program interpreter against libtorch's own forward() of the
# source model, in one process on the same input (`coreml-cli verify --time N`: median of N runs
# each, after one compared run that warms both up), and writes bench/interpreter_results.md.
# The issue's target: the interpreter within 1.5x of libtorch.
#
#   bash bench/interpreter_resnet50.sh [BUILD_DIR] [RUNS]      (defaults: build, 7 runs)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
RUNS="${2:-7}"
CLI="$BUILD/bin/coreml-cli"
WORK="$BUILD/bench"
PYTHON=/usr/bin/python3  # Debian's, with torch and torchvision

[ -x "$CLI" ] || { echo "interpreter_resnet50.sh: $CLI is missing; build first" >&2; exit 1; }
mkdir -p "$WORK/models" "$WORK/out"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

model="$BUILD/tests/models/tv_resnet50.pt"
if [ ! -f "$model" ]; then
    model="$WORK/models/resnet50.pt"
    if [ ! -f "$model" ]; then
        echo "Tracing resnet50 (random weights) ..." >&2
        "$PYTHON" - "$ROOT/tests/models" "$model" <<'PY' >&2
import os, sys
sys.path.insert(0, sys.argv[1])
import gen_torchvision
traced, _ = gen_torchvision.build("resnet50")
traced.save(sys.argv[2] + ".part")
os.replace(sys.argv[2] + ".part", sys.argv[2])
PY
    fi
fi

package="$WORK/out/resnet50_fp32.mlpackage"
log="$WORK/out/resnet50_fp32.log"
"$CLI" convert "$model" -o "$package" --input x:1x3x224x224 --precision fp32 >"$log" 2>&1 || {
    cat "$log" >&2; exit 1; }
json="$WORK/out/resnet50_fp32.verify.json"
"$CLI" verify "$model" "$package" --time "$RUNS" --json "$json" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

read -r interp torch snr < <("$PYTHON" - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["timing"]["interpreter_seconds"], r["timing"]["libtorch_seconds"], "%.1f" % r["outputs"][0]["snr_db"])
PY
)
ratio=$(awk -v a="$interp" -v b="$torch" 'BEGIN { printf "%.2f", a / b }')
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

{
    echo "# Interpreter benchmark"
    echo
    echo "Written by \`bench/interpreter_resnet50.sh\`; do not edit by hand."
    echo
    echo "| Model | Interpreter (ms/run) | libtorch forward (ms/run) | Ratio | Output SNR (dB) |"
    echo "|---|---|---|---|---|"
    echo "| resnet50 fp32, 1x3x224x224 | $(ms "$interp") | $(ms "$torch") | ${ratio}x | $snr |"
    echo
    echo "Median of $RUNS runs each in one \`coreml-cli verify --time $RUNS\` process, measured $(date -u +%Y-%m-%d) at"
    echo "commit $commit on $(nproc) CPU(s) ($cpu); load average when the run started: $LOAD_AT_START."
    echo "Both sides use ATen's CPU kernels with their default thread count; the target is a ratio of at most 1.5x."
} >"$ROOT/bench/interpreter_results.md"
echo "resnet50 fp32: interpreter $(ms "$interp") ms, libtorch $(ms "$torch") ms per run (${ratio}x)"
