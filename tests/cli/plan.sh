# coreml-cli plan: the placement estimate table, totals, top ops, JSON, compute units, chips, flexible inputs,
# the before/after comparison and usage errors.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
require_model op_conv2d_dilated.pt
DEMO="$MODELS/demo_cnn.pt"

run convert "$DEMO" -o "$WORK/demo16.mlpackage" --input image:1x3x224x224
expect_status 0 "convert fp16"
run convert "$DEMO" -o "$WORK/demo32.mlpackage" --input image:1x3x224x224 --precision fp32
expect_status 0 "convert fp32"

run plan "$WORK/demo16.mlpackage" --chip M2-Ultra --units ALL
expect_status 0 "plan fp16"
expect_out_contains "Placement estimate for $WORK/demo16.mlpackage on Apple M2 Ultra" "plan header"
expect_out_contains "ESTIMATE:" "plan says it is an estimate"
expect_out_contains "reasons off the Neural Engine" "table header"
expect_out_contains "Totals (estimate): 20 ops" "totals"
expect_out_contains "Top 10 ops by estimated time:" "top ops"
expect_out_contains "Whole model per compute units on M2-Ultra" "per-units summary"
expect_out_contains "Every op is estimated to run on the Neural Engine." "fp16 fully on the NE"
# Every conv row of the table is on the Neural Engine with a FLOP count and a time.
echo "$OUT" | grep -E '^\S+ +conv +NE +[0-9.]+ [kMG]? *[0-9.]+ (B|KB)' >/dev/null || fail "plan fp16: no conv row on the NE"
[ "$(echo "$OUT" | grep -cE '^\S+ +conv +NE ')" -eq 7 ] || fail "plan fp16: expected 7 conv rows on the NE"
echo "$OUT" | grep -E '^  Neural Engine +20 ops \(100.0%\)' >/dev/null || fail "plan fp16: NE share"
# Decoding estimate: one line per chip profile, below the bound at the full bandwidth.
expect_out_contains "Decoding, tokens per second (estimate; one token reads" "decode estimate header"
[ "$(echo "$OUT" | grep -cE '^  (M1-Max|M2-Ultra|M4-Max|A16|A17-Pro|A18-Pro) +[0-9.]+ tokens/s')" -eq 6 ] ||
    fail "plan fp16: expected a tokens/s line per chip"

run plan "$WORK/demo32.mlpackage"
expect_status 0 "plan fp32"
[ "$(echo "$OUT" | grep -cE '^\S+ +conv +GPU +.*fp32_precision$')" -eq 7 ] || fail "plan fp32: conv rows not on the GPU for fp32"
expect_out_contains "[fp32_precision] 18 op(s)" "plan fp32 reason list"
expect_out_contains "source: coremltools docs" "plan fp32 reason source"

run plan "$WORK/demo32.mlpackage" --units CPU_AND_NE --chip a17pro
expect_status 0 "plan fp32 CPU_AND_NE"
expect_out_contains "Apple A17 Pro" "chip names fold case and punctuation"
expect_out_contains "units_exclude_gpu" "CPU_AND_NE reason"
echo "$OUT" | grep -E '^  CPU +18 ops \(100.0%\)' >/dev/null || fail "plan fp32 CPU_AND_NE: all on the CPU"

run plan --input 'image:1x3x(64..512=224)x224' "$WORK/demo16.mlpackage"
expect_status 0 "plan with a range-shaped input"
expect_out_contains "[range_shape]" "range input reason"
expect_out_contains "input 'image', whose shape is a range" "range input text"

# A package converted with a range-shaped input: the description says so, no --input needed.
run convert "$DEMO" -o "$WORK/range.mlpackage" --input 'image:1x3x(64..256=224)x(64..256=224)'
expect_status 0 "convert with a range input"
run plan "$WORK/range.mlpackage" --compare "$WORK/demo16.mlpackage"
expect_status 0 "plan range vs fixed"
expect_out_contains "GPU -> NE" "range vs fixed: ops move to the NE"
expect_out_contains "before [range_shape]" "range vs fixed: the range is why"
run plan "$WORK/range.mlpackage"
expect_status 0 "plan range"
expect_out_contains "Input 'image' is range-shaped" "range input is announced"
expect_out_contains "Totals (estimate): 20 ops, 56.89 M FLOPs" "figures at the default shape equal the fixed package's"

run convert "$MODELS/op_conv2d_dilated.pt" -o "$WORK/dilated.mlpackage" --input input:1x3x12x12
expect_status 0 "convert dilated conv"
run plan "$WORK/dilated.mlpackage" --json "$WORK/dilated.json"
expect_status 0 "plan dilated"
expect_out_contains "dilated_conv" "dilated conv reason code"
python3 - "$WORK/dilated.json" <<'EOF' || fail "plan --json: unexpected content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["estimate"].startswith("ESTIMATE"), d["estimate"]
assert d["summary"]["chip"] == "M2-Ultra" and d["summary"]["computeUnits"] == "ALL", d["summary"]
conv = [o for o in d["ops"] if o["type"] == "conv"]
assert len(conv) == 1, conv
c = conv[0]
assert c["device"] != "ne" and not c["neCapable"], c
assert [r["code"] for r in c["reasons"]][0] == "dilated_conv", c["reasons"]
assert c["reasons"][0]["source"], c["reasons"]
assert c["flops"] > 0 and c["activationBytes"] > 0 and c["estimatedSeconds"] > 0, c
assert set(c["secondsByDevice"]) == {"ne", "gpu", "cpu"}, c
assert c["provenance"].get("sourceOp"), c["provenance"]
dec = {e["chip"]: e for e in d["decode"]}
assert set(dec) >= {"M1-Max", "M2-Ultra", "A17-Pro"}, dec
m = dec["M2-Ultra"]
assert m["bytesPerToken"] > 0 and 0 < m["tokensPerSecond"] < m["boundTokensPerSecond"], m
assert abs(m["boundTokensPerSecond"] - m["bandwidthBytesPerSecond"] / m["bytesPerToken"]) < 1e-6 * m["boundTokensPerSecond"], m
assert m["source"], m
EOF

run plan "$WORK/demo32.mlpackage" --compare "$WORK/demo16.mlpackage" --json "$WORK/compare.json"
expect_status 0 "plan --compare"
expect_out_contains "op(s) change device:" "comparison lists moves"
expect_out_contains "GPU -> NE" "comparison direction"
expect_out_contains "before [fp32_precision]" "comparison reason before"
python3 - "$WORK/compare.json" <<'EOF' || fail "plan --compare --json: unexpected content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["estimate"].startswith("ESTIMATE")
assert len(d["moved"]) >= 18, len(d["moved"])
assert all(m["before"] == "gpu" and m["after"] == "ne" for m in d["moved"]), d["moved"][:2]
assert d["after"]["summary"]["estimatedSeconds"] < d["before"]["summary"]["estimatedSeconds"]
EOF

run plan --list-chips
expect_status 0 "list chips"
for chip in M1-Max M2-Ultra M4-Max A16 A17-Pro A18-Pro; do expect_out_contains "$chip" "list chips: $chip"; done
echo "$OUT" | grep -E '^M2-Ultra .* 800\.0 +31\.6 ' >/dev/null || fail "list chips: M2 Ultra figures"

run plan "$WORK/demo16.mlpackage" --chip M9-Hyper
expect_status 1 "unknown chip"
expect_err_contains "unknown chip 'M9-Hyper'" "unknown chip message"
expect_err_contains "M2-Ultra" "unknown chip lists the known ones"
run plan "$WORK/demo16.mlpackage" --units GPU_ONLY
expect_status 2 "bad units"
expect_err_contains "--units must be" "bad units message"
run plan "$WORK/demo16.mlpackage" --input 'pixels:1x3x(64..512)x224'
expect_status 2 "flexible input that does not exist"
expect_err_contains "has no input named 'pixels'; its inputs are: image" "unknown input message"
run plan
expect_status 2 "plan without a package"
run plan "$WORK/missing.mlpackage"
expect_status 1 "missing package"
expect_no_trace "missing package"

finish
