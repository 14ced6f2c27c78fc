#!/usr/bin/env bash
# Converts a ~1.06B-parameter Llama-style decoder (random init, fp16 weights, bench/gen_decoder_1b.py) twice, each
# `coreml-cli convert` a whole process under /usr/bin/time -v: to an fp16 iOS18 package, and with int4 per-block
# (block 32) compression of every linear layer's weight (the rotary tables and the embedding stay fp16). Records
# wall time, CPU time, peak RSS and its ratio to the model's fp16 weight bytes, the package size, and the
# disk-write bound: the time to write (and fsync) the package's weight.bin once more with dd, which no conversion
# can beat. Writes the big-model section of bench/results.md and the README.
# Not part of ctest (minutes, ~5 GB of disk).
#
#   bash bench/big_model_bench.sh [BUILD_DIR]      (default: build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
CLI="$BUILD/bin/coreml-cli"
WORK="$BUILD/bench/big"
PYTHON=/usr/bin/python3  # Debian's, with torch

[ -x "$CLI" ] || { echo "big_model_bench.sh: $CLI is missing; build first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "big_model_bench.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

MODEL="$WORK/decoder1b.pt"
if [ ! -f "$MODEL" ]; then
    echo "Generating the 1.06B-parameter decoder (random weights; several minutes) ..." >&2
    "$PYTHON" "$ROOT/bench/gen_decoder_1b.py" "$MODEL"
fi
# fp16 bytes of every parameter and buffer in the archive (what an fp16 checkpoint of the model holds).
FP16_BYTES=$("$PYTHON" - "$MODEL" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(sum(i.file_size for i in z.infolist() if "/data/" in i.filename and not i.filename.endswith("/")))
PY
)

to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }' <<<"$1"; }

# Runs "$@" once under /usr/bin/time -v; sets WALL (s), CPU (user+sys s), PEAK (KiB).
measure() {
    local tag="$1"; shift
    local log="$WORK/$tag.time"
    /usr/bin/time -v -o "$log" "$@" >"$WORK/$tag.stdout" 2>"$WORK/$tag.stderr" || {
        echo "big_model_bench.sh: $tag failed:" >&2
        cat "$WORK/$tag.stderr" >&2
        return 1
    }
    WALL=$(to_seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")")
    CPU=$(awk '/User time|System time/ { s += $NF } END { printf "%.1f", s }' "$log")
    PEAK=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
}

# Seconds to write `file` again with dd and fsync it (the file is in the page cache from its own writing).
write_bound() {
    local file="$1" copy="$WORK/write-bound.bin" start end
    rm -f "$copy"
    sync
    start=$(date +%s.%N)
    dd if="$file" of="$copy" bs=16M conv=fsync status=none
    end=$(date +%s.%N)
    rm -f "$copy"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

cat >"$WORK/int4-per-block-32.yaml" <<'YAML'
config_type: OpLinearQuantizerConfig
op_type_configs:
  linear:
    mode: linear_symmetric
    dtype: int4
    granularity: per_block
    block_size: 32
YAML

rows=()
run() {
    local name="$1"; shift
    local out="$WORK/$name.mlpackage"
    rm -rf "$out"
    measure "$name" "$CLI" convert "$MODEL" -o "$out" --input ids:1x64:dtype=int32 --precision fp16 --target iOS18 "$@"
    local weights="$out/Data/com.apple.CoreML/weights/weight.bin"
    local size=$(($(du -sk "$out" | cut -f1) / 1024))
    local bound
    bound=$(write_bound "$weights")
    local ratio
    ratio=$(awk -v p="$PEAK" -v w="$FP16_BYTES" 'BEGIN { printf "%.2f", p * 1024 / w }')
    rows+=("| $name | $WALL | $CPU | $((PEAK / 1024)) | $ratio | $size | $bound |")
    echo "$name: wall $WALL s, CPU $CPU s, peak RSS $((PEAK / 1024)) MiB (${ratio}x fp16 weights), package $size MiB," \
         "writing weight.bin again with dd + fsync: $bound s"
    rm -rf "$out"
}
run fp16
run int4-per-block-32 --compress "$WORK/int4-per-block-32.yaml"

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no -- core app 2>/dev/null)" ] ||
    commit="$commit with uncommitted changes"
fp16_mib=$((FP16_BYTES / 1048576))
section="<!-- bigmodel:begin -->
### Converting a 1.06B-parameter decoder

| Conversion (\`coreml-cli convert\`, iOS18) | Wall time (s) | CPU time (s, user+sys) | Peak RSS (MiB) | Peak RSS / fp16 weights | Package (MiB) | Disk-write bound (s) |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

Measured $(date -u +%Y-%m-%d) at commit $commit on $(nproc) CPU(s) ($cpu), one run each, as a whole process under
\`/usr/bin/time -v\` (import, lowering, passes, compression, writing, and reading the package back). The model is
\`bench/gen_decoder_1b.py\`: Llama-style, 18 layers of width 2048 (32 heads, SwiGLU MLP 5632), RMSNorm, rotary
embeddings, a 32,000-token vocabulary with an untied output projection, random weights, saved with fp16 weights
($fp16_mib MiB) as LLM checkpoints are distributed, converted for 64 token ids. The disk-write bound is the time
\`dd ... conv=fsync\` takes to write the package's weight.bin once more on the same disk. Wall times vary with
the load on the machine (1/5/15-minute load average when this run started: $LOAD_AT_START).
<!-- bigmodel:end -->"

RESULTS="$ROOT/bench/results.md"
SECTION="$section" awk '
    /<!-- bigmodel:begin -->/ { print ENVIRON["SECTION"]; skip = 1; done = 1; next }
    /<!-- bigmodel:end -->/ { skip = 0; next }
    !skip { print }
    END { if (!done) { print ""; print ENVIRON["SECTION"] } }
' "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"

# The README keeps the same table inside its streaming section (between the bench:bigmodel markers).
README="$ROOT/README.md"
if grep -q '<!-- bench:bigmodel:begin -->' "$README"; then
    SECTION="$section" awk '
        /<!-- bench:bigmodel:begin -->/ { print; print ENVIRON["SECTION"]; skip = 1; next }
        /<!-- bench:bigmodel:end -->/ { skip = 0 }
        !skip { print }
    ' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
fi
echo "Wrote the big-model section of bench/results.md and the README"
