# Weight compression from the command line: convert --compress with the size report, compress of an
# existing package (one config, two configs, joint compression), decompress back to dense, the
# weights listing, and errors that name the config file and key and leave an existing output intact.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
DEMO="$MODELS/demo_cnn.pt"
IN=(--input image:1x3x224x224)

cat >"$WORK/q8.yaml" <<'YAML'
config_type: OpLinearQuantizerConfig
global_config:
  mode: linear_symmetric
  dtype: int8
  granularity: per_channel
YAML
cat >"$WORK/prune.yaml" <<'YAML'
config_type: OpMagnitudePrunerConfig
global_config:
  target_sparsity: 0.5
YAML
cat >"$WORK/pal.yaml" <<'YAML'
config_type: OpPalettizerConfig
global_config:
  mode: kmeans
  nbits: 4
YAML
cat >"$WORK/bad.yaml" <<'YAML'
config_type: OpPalettizerConfig
global_config:
  mode: kmeans
  nbits: 5
YAML
cat >"$WORK/q4.yaml" <<'YAML'
config_type: OpLinearQuantizerConfig
global_config:
  dtype: int4
  granularity: per_block
  block_size: 7
YAML

# convert --compress prints the size report and writes it as JSON.
run convert "$DEMO" -o "$WORK/q8.mlpackage" "${IN[@]}" --precision fp32 --target iOS18 --compress "$WORK/q8.yaml" \
    --size-report "$WORK/q8.json"
expect_status 0 "convert --compress"
expect_out_contains "Compressed " "convert --compress"
expect_out_contains "constexpr_blockwise_shift_scale" "convert --compress size report"
expect_out_contains "Package size: fp32 " "convert --compress size report"
python3 - "$WORK/q8.json" "$WORK/q8.mlpackage" <<'PY' || fail "convert --size-report: unexpected JSON"
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r["layers"], r
for l in r["layers"]:
    assert l["encodingBefore"] == "const" and l["encoding"] == "constexpr_blockwise_shift_scale", l
    assert l["bytesBefore"] == 4 * l["elements"], l
    assert 8.0 <= l["bitsPerWeight"] < 9.0 and 3.5 < l["ratio"] <= 4.0, l
t = r["total"]
assert t["weights"] == len(r["layers"]) and abs(t["ratio"] - t["bytesBefore"] / t["bytesAfter"]) < 1e-9, t
p = r["package"]
disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[2]) for f in fs)
assert p["compressedBytes"] == disk, (p, disk)
assert p["fp32Bytes"] > p["fp16Bytes"] > p["compressedBytes"] and p["inputBytes"] == 0, p
PY
run convert "$DEMO" -o "$WORK/x.mlpackage" "${IN[@]}" --size-report "$WORK/x.json"
expect_status 2 "convert --size-report without --compress"
expect_err_contains "--size-report needs a compression config" "convert --size-report without --compress"

# A dense iOS18 package, pruned, then palettized jointly.
run convert "$DEMO" -o "$WORK/dense.mlpackage" "${IN[@]}" --precision fp32 --target iOS18
expect_status 0 "convert dense"
run compress "$WORK/dense.mlpackage" -o "$WORK/pruned.mlpackage" --config "$WORK/prune.yaml"
expect_status 0 "compress prune"
expect_out_contains "prune.yaml: compressed " "compress prune"
expect_out_contains "constexpr_sparse_to_dense" "compress prune size report"
expect_out_contains "(input package " "compress prune size report"

run compress "$WORK/pruned.mlpackage" -o "$WORK/nojoint.mlpackage" --config "$WORK/pal.yaml"
expect_status 0 "compress without joint"
expect_out_contains "pal.yaml: compressed 0 weights; " "compress without joint"
expect_out_contains "already compressed left as they were (--joint-compression compresses them further)" \
    "compress without joint"

run compress "$WORK/pruned.mlpackage" -o "$WORK/joint.mlpackage" --config "$WORK/pal.yaml" --joint-compression \
    --size-report "$WORK/joint.json"
expect_status 0 "compress joint"
expect_out_contains "constexpr_lut_to_sparse+constexpr_sparse_to_dense" "compress joint size report"
python3 - "$WORK/joint.json" <<'PY' || fail "compress --joint-compression: unexpected size report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["layers"], r
for l in r["layers"]:
    assert l["encodingBefore"] == "constexpr_sparse_to_dense", l
    assert l["encoding"] == "constexpr_lut_to_sparse+constexpr_sparse_to_dense", l
    assert l["sparsity"] >= 0.5 and l["bitsPerWeight"] < 3.2 and l["bytesAfter"] < l["bytesBefore"] / 4, l
assert r["package"]["inputBytes"] > r["package"]["compressedBytes"], r["package"]
PY
run weights --json "$WORK/joint.mlpackage"
expect_status 0 "weights --json joint"
echo "$OUT" | python3 -c '
import json, sys
ws = [w for w in json.load(sys.stdin) if w["encoding"] != "const"]
assert ws, "no compressed weights listed"
for w in ws:
    assert w["encoding"] == "constexpr_lut_to_sparse+constexpr_sparse_to_dense" and w["bits"] == 4, w
    assert w["sparsity"] >= 0.5, w
' || fail "weights --json joint: unexpected listing"

# Both configs in one run; the result equals the two runs above.
run compress "$WORK/dense.mlpackage" -o "$WORK/joint2.mlpackage" --config "$WORK/prune.yaml" --config "$WORK/pal.yaml" \
    --joint-compression -q
expect_status 0 "compress two configs"
expect_out_contains "prune.yaml: compressed " "compress two configs"
expect_out_contains "pal.yaml: compressed " "compress two configs"
cmp -s "$WORK/joint.mlpackage/Data/com.apple.CoreML/weights/weight.bin" \
       "$WORK/joint2.mlpackage/Data/com.apple.CoreML/weights/weight.bin" || fail "two configs in one run differ from two runs"

# decompress: dense constants that compute exactly what the compressed package computes.
run decompress "$WORK/joint.mlpackage" -o "$WORK/back.mlpackage"
expect_status 0 "decompress"
expect_out_contains "Decompressed " "decompress"
run weights --json "$WORK/back.mlpackage"
echo "$OUT" | python3 -c '
import json, sys
ws = json.load(sys.stdin)
assert ws and all(w["encoding"] == "const" for w in ws), ws
assert any(w["sparsity"] >= 0.5 for w in ws), ws
' || fail "decompress: compressed weights remain"
run verify "$DEMO" "$WORK/joint.mlpackage" --min-snr 0 --json "$WORK/v_joint.json"
run verify "$DEMO" "$WORK/back.mlpackage" --min-snr 0 --json "$WORK/v_back.json"
python3 - "$WORK/v_joint.json" "$WORK/v_back.json" <<'PY' || fail "decompressed package computes differently"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["outputs"][0] == b["outputs"][0], (a["outputs"], b["outputs"])
assert a["outputs"][0]["snr_db"] < 60, a["outputs"]  # the compression is visible: not the dense model
PY

run weights "$WORK/q8.mlpackage"
expect_status 0 "weights table"
expect_out_contains "encoding" "weights table"
expect_out_contains "constexpr_blockwise_shift_scale" "weights table"
echo "$OUT" | grep -Eq '^[0-9]+ weights, .* stored$' || fail "weights table: no total line"

# Errors name the config file and key, and an existing output stays as it was.
cp -r "$WORK/pruned.mlpackage" "$WORK/keep.mlpackage"
before="$(cd "$WORK/keep.mlpackage" && find . -type f -exec md5sum {} + | sort)"
listing="$(ls -A "$WORK")"
run compress "$WORK/dense.mlpackage" -o "$WORK/keep.mlpackage" --config "$WORK/bad.yaml"
expect_status 1 "compress bad config"
expect_err_contains "bad.yaml: line 4: global_config.nbits: expected 1, 2, 3, 4, 6 or 8, got 5" "compress bad config"
run compress "$WORK/dense.mlpackage" -o "$WORK/keep.mlpackage" --config "$WORK/q4.yaml"
expect_status 1 "compress block size"
expect_err_contains "q4.yaml: " "compress block size"
expect_err_contains "global_config.block_size: cannot compress weight" "compress block size"
expect_err_contains "block_size 7 does not divide the input-channel axis" "compress block size"
expect_no_trace "compress block size"
[ "$(cd "$WORK/keep.mlpackage" && find . -type f -exec md5sum {} + | sort)" = "$before" ] ||
    fail "a failed compress changed the existing output"
[ "$(ls -A "$WORK")" = "$listing" ] || fail "a failed compress left files behind: $(ls -A "$WORK")"

# Target gating: joint compression and per-block scales need iOS18.
run convert "$DEMO" -o "$WORK/ios17.mlpackage" "${IN[@]}" --precision fp32 --target iOS17
run compress "$WORK/ios17.mlpackage" -o "$WORK/j17.mlpackage" --config "$WORK/prune.yaml" --config "$WORK/pal.yaml" \
    --joint-compression
expect_status 1 "joint on iOS17"
expect_err_contains "joint compression (joint_compression) needs iOS18; the program's target is iOS17" "joint on iOS17"
[ ! -e "$WORK/j17.mlpackage" ] || fail "joint on iOS17 wrote a package"
printf 'config_type: OpLinearQuantizerConfig\nglobal_config:\n  granularity: per_block\n' >"$WORK/pb.yaml"
run compress "$WORK/ios17.mlpackage" -o "$WORK/pb.mlpackage" --config "$WORK/pb.yaml"
expect_status 1 "per-block on iOS17"
expect_err_contains "pb.yaml: global_config.granularity: per-block quantization needs iOS18 (the target is iOS17)" \
    "per-block on iOS17"

run compress "$WORK/dense.mlpackage" -o "$WORK/y.mlpackage"
expect_status 2 "compress without --config"
run compress "$WORK/dense.mlpackage" -o "$WORK/y" --config "$WORK/q8.yaml"
expect_status 1 "compress to a non-package name"
expect_err_contains "must be a folder ending in .mlpackage" "compress to a non-package name"

finish
