# coreml-cli sensitivity: the per-layer table ranks the fragile layer first, the recommended config
# keeps it uncompressed, meets the target, and is one `convert --compress` accepts; usage errors.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model sens_fragile.pt
MODEL="$MODELS/sens_fragile.pt"

run sensitivity "$MODEL" "$WORK/fragile.mlpackage" --input x:8x64 --precision fp32 --target-snr 30 \
    --candidates int8,pal4 --samples 2 --json "$WORK/s.json" --config-out "$WORK/cfg.yaml" \
    --compressed-out "$WORK/fragile-c.mlpackage"
expect_status 0 "sensitivity"
expect_out_contains "int8" "sensitivity table header"
expect_out_contains "Recommended for SNR >= 30.0 dB" "sensitivity recommendation"
expect_out_contains "uniform int8" "sensitivity uniform figures"
expect_out_contains "Wrote $WORK/fragile-c.mlpackage" "sensitivity --compressed-out"
echo "$OUT" | grep -Eq '^fragile +linear +16384 ' || fail "sensitivity: no table row for the fragile layer"
echo "$OUT" | grep -Eq '^fragile .* -$' || fail "sensitivity: the fragile layer should stay uncompressed"
[ -d "$WORK/fragile.mlpackage" ] || fail "sensitivity: PKG (the uncompressed package) was not kept"
python3 - "$WORK/s.json" <<'PY' || fail "sensitivity --json: unexpected content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["candidates"] == ["int8", "pal4"], d["candidates"]
assert d["input_sets"] == 2
assert d["most_sensitive_first"][0] == d["layers"][1]["op"], d["most_sensitive_first"]
assert d["layers"][1]["module"] == "fragile" and d["layers"][1]["recommended"] is None
rec = d["recommendation"]
assert rec["meets_target"] and rec["measured_snr_db"] >= 30, rec
assert rec["bytes_after"] < rec["bytes_before"], rec
assert d["compressed_package"]["snr_db"] >= 30, d["compressed_package"]
assert set(rec["config"]["op_name_configs"]) <= {"fc1", "fc3", "fc4"}, rec["config"]
PY
grep -q "op_name_configs:" "$WORK/cfg.yaml" || fail "--config-out: no op_name_configs"
grep -q "fragile" "$WORK/cfg.yaml" && fail "--config-out: the fragile layer is in the config"

# The config is one convert --compress takes (keys are module paths of the source model).
run convert "$MODEL" -o "$WORK/again.mlpackage" --input x:8x64 --precision fp32 --target iOS16 --compress "$WORK/cfg.yaml"
expect_status 0 "convert --compress with the recommended config"
expect_out_contains "Compressed" "convert --compress with the recommended config"

# An existing package is analysed as it is; PKG then makes no sense.
run sensitivity "$WORK/fragile.mlpackage" --candidates pal6 --target-snr 20
expect_status 0 "sensitivity of a package"
expect_out_contains "pal6" "sensitivity of a package"
run sensitivity "$WORK/fragile.mlpackage" "$WORK/other.mlpackage"
expect_status 2 "sensitivity PACKAGE PKG"
run sensitivity "$WORK/fragile.mlpackage" --candidates pal5
expect_status 1 "unknown candidate"
expect_err_contains 'compression candidate "pal5"' "unknown candidate"
expect_no_trace "unknown candidate"
run sensitivity "$MODEL" --input x:8x64 --target iOS15
expect_status 2 "sensitivity below iOS16"

finish
