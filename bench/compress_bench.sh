#!/usr/bin/env bash
# Compresses every weight of a ~354M-parameter transformer (random init) with 4- and 6-bit k-means
# palettization, int8 per-channel and int4 per-block quantization, each `coreml-cli compress` run a
# whole process under /usr/bin/time -v, and records wall time, CPU time and peak RSS in the
# compression section of bench/results.md and the README. Not part of ctest (minutes, ~3 GB of disk).
#
#   bash bench/compress_bench.sh [BUILD_DIR] [RUNS]      (defaults: build, 3 runs per setting)
#
# The model is bench/gen_transformer_350m.py's (GPT-2-medium shape) traced with Debian's torch, then
# converted once to an fp16 iOS18 package (iOS18: int4 per-block needs it); that conversion is timed too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
RUNS="${2:-3}"
CLI="$BUILD/bin/coreml-cli"
WORK="$BUILD/bench/compress"
PYTHON=/usr/bin/python3  # Debian's, with torch

[ -x "$CLI" ] || { echo "compress_bench.sh: $CLI is missing; build first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compress_bench.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"  # other work on the machine inflates wall times

MODEL="$WORK/decoder350m.pt"
PACKAGE="$WORK/decoder350m.mlpackage"
if [ ! -f "$MODEL" ]; then
    echo "Generating the 354M-parameter model (random weights) ..." >&2
    "$PYTHON" "$ROOT/bench/gen_transformer_350m.py" "$MODEL"
fi

to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }' <<<"$1"; }

# Runs "$@" RUNS times under /usr/bin/time -v; sets WALL (median s), CPU (median user+sys s), PEAK (KiB).
measure() {
    local tag="$1"; shift
    local walls=() cpus=() run log
    PEAK=0
    for ((run = 1; run <= RUNS; run++)); do
        log="$WORK/$tag.time.$run"
        /usr/bin/time -v -o "$log" "$@" >"$WORK/$tag.stdout" 2>"$WORK/$tag.stderr" || {
            echo "compress_bench.sh: $tag failed:" >&2
            cat "$WORK/$tag.stderr" >&2
            return 1
        }
        walls+=("$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")")
        cpus+=("$(awk '/User time|System time/ { s += $NF } END { printf "%.1f", s }' "$log")")
        local rss
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
        [ "$rss" -gt "$PEAK" ] && PEAK=$rss
    done
    WALL=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    CPU=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

RUNS_SAVED=$RUNS
RUNS=1
rm -rf "$PACKAGE"
measure convert "$CLI" convert "$MODEL" -o "$PACKAGE" --input ids:1x64:dtype=int32 --precision fp16 --target iOS18
convert_row="| (conversion to fp16, for reference) | convert | $WALL | $CPU | $((PEAK / 1024)) | $(($(du -sk "$PACKAGE" | cut -f1) / 1024)) |"
RUNS=$RUNS_SAVED
params=$("$CLI" weights --json --min-size 0 "$PACKAGE" | "$PYTHON" -c '
import json, sys
n = 0
for w in json.load(sys.stdin):
    k = 1
    for d in w["shape"]:
        k *= d
    n += k
print(f"{n / 1e6:.0f}M")')

declare -A CONFIGS=(
    [palettize-4bit]='config_type: OpPalettizerConfig
global_config:
  mode: kmeans
  nbits: 4
  granularity: per_tensor'
    [palettize-6bit]='config_type: OpPalettizerConfig
global_config:
  mode: kmeans
  nbits: 6
  granularity: per_tensor'
    [int8-per-channel]='config_type: OpLinearQuantizerConfig
global_config:
  mode: linear_symmetric
  dtype: int8
  granularity: per_channel'
    [int4-per-block-32]='config_type: OpLinearQuantizerConfig
global_config:
  mode: linear_symmetric
  dtype: int4
  granularity: per_block
  block_size: 32'
    [none-read-and-write-only]='config_type: OpLinearQuantizerConfig
global_config:
  dtype: int8
  weight_threshold: 1000000000000'
)
ORDER=(palettize-4bit palettize-6bit int8-per-channel int4-per-block-32 none-read-and-write-only)

rows=()
for name in "${ORDER[@]}"; do
    printf '%s\n' "${CONFIGS[$name]}" >"$WORK/$name.yaml"
    out="$WORK/$name.mlpackage"
    measure "$name" "$CLI" compress "$PACKAGE" -o "$out" --config "$WORK/$name.yaml" --quiet
    size=$(($(du -sk "$out" | cut -f1) / 1024))
    rows+=("| $name | compress | $WALL | $CPU | $((PEAK / 1024)) | $size |")
    echo "$name: median wall $WALL s, CPU $CPU s over $RUNS runs, peak RSS $((PEAK / 1024)) MiB, package $size MiB"
    rm -rf "$out"
done

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no -- core app 2>/dev/null)" ] ||
    commit="$commit with uncommitted changes"
section="<!-- compress:begin -->
### Weight compression of a $params-parameter transformer

| Setting (every weight) | Command | Wall time (s, median of $RUNS) | CPU time (s, user+sys) | Peak RSS (MiB) | Package (MiB) |
|---|---|---|---|---|---|
$convert_row
$(printf '%s\n' "${rows[@]}")

Measured $(date -u +%Y-%m-%d) at commit $commit on $(nproc) CPU(s) ($cpu): \`coreml-cli compress
decoder350m.mlpackage -o OUT.mlpackage --config SETTING.yaml --quiet\` as a whole process under \`/usr/bin/time -v\`
(reading the 708 MB fp16 package, compressing, writing and reading back the result; the last row compresses nothing
and shows what reading and writing alone cost). The model is \`bench/gen_transformer_350m.py\`: 24 layers of width 1024,
a 50,304-token embedding shared with the output projection, random weights (normal, std 0.02). Palettization is
k-means with one table per tensor. Wall times vary with the load on the machine (1/5/15-minute load average when
this run started: $LOAD_AT_START); the CPU column is less sensitive to it. For scale: coremltools' guide quotes
10-30 minutes for k-means palettization of OPT-1.3B (3.7x the parameters) with its own implementation.
<!-- compress:end -->"

# bench/results.md: replace the compression section, or add it after run_bench.sh's table.
RESULTS="$ROOT/bench/results.md"
SECTION="$section" awk '
    /<!-- compress:begin -->/ { print ENVIRON["SECTION"]; skip = 1; done = 1; next }
    /<!-- compress:end -->/ { skip = 0; next }
    !skip { print }
    END { if (!done) { print ""; print ENVIRON["SECTION"] } }
' "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"

# The README keeps the same section between its bench:compress markers (inside the bench section,
# after the studio figures, where run_bench.sh leaves it alone).
README="$ROOT/README.md"
if grep -q '<!-- bench:compress:begin -->' "$README"; then
    SECTION="$section" awk '
        /<!-- bench:compress:begin -->/ { print; print ENVIRON["SECTION"]; skip = 1; next }
        /<!-- bench:compress:end -->/ { skip = 0 }
        !skip { print }
    ' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
fi
echo "Wrote the compression section of bench/results.md and the README"
