#!/usr/bin/env bash
# Converts resnet50 and mobilenet_v2 (fp16) with the built coreml-cli as whole processes under
# /usr/bin/time -v and records wall time and peak RSS in bench/results.md and the README table.
#
#   bash bench/run_bench.sh [BUILD_DIR] [RUNS]      (defaults: build, 3 runs per model)
#
# Models are torchvision architectures with random weights (no downloads), traced by
# tests/models/gen_torchvision.py; the test fixtures are reused when the build already has them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
RUNS="${2:-3}"
CLI="$BUILD/bin/coreml-cli"
WORK="$BUILD/bench"
MODELS=(resnet50 mobilenet_v2)
PYTHON=/usr/bin/python3  # Debian's, with torch and torchvision

[ -x "$CLI" ] || { echo "run_bench.sh: $CLI is missing; build first (bash packaging/setup.sh build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run_bench.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK/models" "$WORK/out"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"  # other work on the machine inflates wall times

model_file() {  # the traced model for $1, generating it when neither the fixtures nor the cache have it
    local fixture="$BUILD/tests/models/tv_$1.pt" cached="$WORK/models/$1.pt"
    if [ -f "$fixture" ]; then echo "$fixture"; return; fi
    if [ ! -f "$cached" ]; then
        echo "Tracing $1 (random weights) ..." >&2
        "$PYTHON" - "$ROOT/tests/models" "$1" "$cached" <<'PY' >&2
import sys
sys.path.insert(0, sys.argv[1])
import gen_torchvision
traced, _ = gen_torchvision.build(sys.argv[2])
traced.save(sys.argv[3] + ".part")
import os
os.replace(sys.argv[3] + ".part", sys.argv[3])
PY
    fi
    echo "$cached"
}

# Seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss" elapsed field.
to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"; }

rows=()
for name in "${MODELS[@]}"; do
    model="$(model_file "$name")"
    out="$WORK/out/$name.mlpackage"
    walls=()
    peak=0
    for ((run = 1; run <= RUNS; run++)); do
        log="$WORK/out/$name.time.$run"
        /usr/bin/time -v -o "$log" "$CLI" convert "$model" -o "$out" --input x:1x3x224x224 --precision fp16 \
            >/dev/null 2>"$WORK/out/$name.stderr" || {
            echo "run_bench.sh: converting $name failed:" >&2
            cat "$WORK/out/$name.stderr" >&2
            exit 1
        }
        walls+=("$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")")
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    size=$(du -sk "$out" | cut -f1)
    rows+=("| $name | fp16 | ${median} | $((peak / 1024)) | $((size / 1024)) | not measured (see notes) |")
    echo "$name: median wall ${median} s over $RUNS runs, peak RSS $((peak / 1024)) MiB, package $((size / 1024)) MiB"
done

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no -- core app 2>/dev/null)" ] ||
    commit="$commit with uncommitted changes"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")"
table="| Model | Precision | Wall time (s, median of $RUNS) | Peak RSS (MiB) | Package (MiB) | coremltools |
|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Measured $(date -u +%Y-%m-%d) at commit $commit (${build_type:-RelWithDebInfo} build) on $(nproc) CPU(s) ($cpu):
\`coreml-cli convert MODEL.pt -o OUT.mlpackage
--input x:1x3x224x224 --precision fp16\` as a whole process under \`/usr/bin/time -v\` (import, lowering, passes,
writing and reading the package back). Models are torchvision architectures with random weights; wall times vary
with the load on the machine (1/5/15-minute load average when this run started: $LOAD_AT_START).
coremltools cannot run conversions on this machine, so it was not measured: the issue's target (at least 10x
faster than coremltools with a third of its peak memory) is not yet checked against it."

{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run_bench.sh\`; do not edit by hand."
    echo
    echo "$table"
} >"$ROOT/bench/results.md"

# The README keeps the same table between its bench markers.
README="$ROOT/README.md"
if grep -q '<!-- bench:begin -->' "$README"; then
    TABLE="$table" awk '
        /<!-- bench:begin -->/ { print; print ENVIRON["TABLE"]; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }
    ' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
fi
echo "Wrote bench/results.md and the README table"
