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
# coremltools baseline: a coremltools source tree imported through the development checker (not in CI).
CHECKER="${CMS_COREML_CHECK:-$ROOT/../shared/tools/coreml-check}"
CT_SRC="${COREMLTOOLS_SRC:-$HOME/ref/coremltools}"

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

# Runs "$@" RUNS times under /usr/bin/time -v; sets MEDIAN (wall seconds) and PEAK (KiB).
measure() {
    local tag="$1"; shift
    local walls=() run log rss
    PEAK=0
    for ((run = 1; run <= RUNS; run++)); do
        log="$WORK/out/$tag.time.$run"
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$WORK/out/$tag.stderr" || {
            echo "run_bench.sh: $tag failed:" >&2
            cat "$WORK/out/$tag.stderr" >&2
            return 1
        }
        walls+=("$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")")
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
        [ "$rss" -gt "$PEAK" ] && PEAK=$rss
    done
    MEDIAN=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

have_coremltools=0
[ -f "$CHECKER/ct_env.py" ] && [ -d "$CT_SRC/coremltools" ] && have_coremltools=1

rows=()
for name in "${MODELS[@]}"; do
    model="$(model_file "$name")"
    out="$WORK/out/$name.mlpackage"
    measure "$name" "$CLI" convert "$model" -o "$out" --input x:1x3x224x224 --precision fp16
    ours_wall=$MEDIAN ours_peak=$PEAK
    size=$(du -sk "$out" | cut -f1)
    baseline="not measured (no coremltools source tree)"
    if [ "$have_coremltools" = 1 ]; then
        rm -rf "$WORK/out/$name.ct.mlpackage"
        if COREMLTOOLS_SRC="$CT_SRC" measure "$name.coremltools" "$PYTHON" "$ROOT/bench/coremltools_convert.py" \
            "$CHECKER" "$model" "$WORK/out/$name.ct.mlpackage" x 1x3x224x224; then
            baseline="$MEDIAN s, $((PEAK / 1024)) MiB: ours $(awk -v a="$MEDIAN" -v b="$ours_wall" 'BEGIN { printf "%.1f", a / b }')x faster, $(awk -v a="$ours_peak" -v b="$PEAK" 'BEGIN { printf "%.2f", a / b }') of its memory"
        else
            baseline="failed (see $WORK/out/$name.coremltools.stderr)"
        fi
    fi
    rows+=("| $name | fp16 | ${ours_wall} | $((ours_peak / 1024)) | $((size / 1024)) | $baseline |")
    echo "$name: median wall ${ours_wall} s over $RUNS runs, peak RSS $((ours_peak / 1024)) MiB, package $((size / 1024)) MiB; coremltools: $baseline"
done

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no -- core app 2>/dev/null)" ] ||
    commit="$commit with uncommitted changes"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")"
table="| Model | Precision | Wall time (s, median of $RUNS) | Peak RSS (MiB) | Package (MiB) | coremltools (wall, peak RSS; ratio) |
|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Measured $(date -u +%Y-%m-%d) at commit $commit (${build_type:-RelWithDebInfo} build) on $(nproc) CPU(s) ($cpu):
\`coreml-cli convert MODEL.pt -o OUT.mlpackage
--input x:1x3x224x224 --precision fp16\` as a whole process under \`/usr/bin/time -v\` (import, lowering, passes,
writing and reading the package back). Models are torchvision architectures with random weights; wall times vary
with the load on the machine (1/5/15-minute load average when this run started: $LOAD_AT_START).
The coremltools column runs \`bench/coremltools_convert.py\` (coremltools $(sed -n 's/^__version__ = "\(.*\)".*/\1/p' "$CT_SRC/coremltools/version.py" 2>/dev/null)
under Debian's Python and torch 1.13, same model, fp16, iOS15, also a whole process under \`/usr/bin/time -v\`)
when a coremltools source tree and the development checker are on the machine; the target is at least 10x faster
than coremltools with a third of its peak memory."

# bench/compress_bench.sh's section (its own, slower run) is carried over.
compress_section="$(sed -n '/<!-- compress:begin -->/,/<!-- compress:end -->/p' "$ROOT/bench/results.md" 2>/dev/null || true)"
{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run_bench.sh\` and \`bench/compress_bench.sh\`; do not edit by hand."
    echo
    echo "$table"
    if [ -n "$compress_section" ]; then
        echo
        echo "$compress_section"
    fi
} >"$ROOT/bench/results.md"

# The README keeps the same table between its bench markers.
README="$ROOT/README.md"
if grep -q '<!-- bench:begin -->' "$README"; then
    TABLE="$table" awk '
        /<!-- bench:begin -->/ { print; print ENVIRON["TABLE"]; skip = 1; next }
        /<!-- bench:studio:begin -->/ { skip = 0 }  # the studio figures (bench/graph_view_open.sh) stay
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }
    ' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
fi
echo "Wrote bench/results.md and the README table"
