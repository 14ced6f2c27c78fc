# coreml-cli swift and checklist: the Swift snippet names the package's real features and the compute units;
# the checklist converts the model and evaluates every item from real data.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
DEMO="$MODELS/demo_cnn.pt"

run convert "$DEMO" -o "$WORK/demo.mlpackage" --input image:1x3x64x64 --output-name scores
expect_status 0 "convert"
run swift "$WORK/demo.mlpackage" --units CPU_AND_NE
expect_status 0 "swift"
expect_out_contains '"image": MLFeatureValue(multiArray: image)' "swift input feature"
expect_out_contains 'result.featureValue(for: "scores")?.multiArrayValue' "swift output feature"
expect_out_contains "configuration.computeUnits = .cpuAndNeuralEngine" "swift compute units"
expect_out_contains "MLMultiArray(shape: [1, 3, 64, 64], dataType: .float32)" "swift input shape and type"
expect_out_contains "final class ModelCache" "memory-efficient loading"
run swift "$WORK/missing.mlpackage"
expect_status 1 "swift on a missing package"

run checklist "$DEMO" --input image:1x3x64x64 --json
expect_status 0 "checklist"
python3 - "$OUT" <<'PY' || fail "checklist JSON"
import json, sys
items = {i["id"]: i for i in json.loads(sys.argv[1])["checklist"]}
assert len(items) == 9, items.keys()
assert items["ml-program"]["status"] == "pass", items["ml-program"]
assert items["preprocessing"]["status"] == "warn" and items["preprocessing"]["fix"]["field"] == "image"
assert items["accuracy"]["status"] == "not-checked"
assert items["compression"]["status"] == "warn"
assert items["neural-engine"]["status"] == "pass", items["neural-engine"]
assert items["memory"]["status"] == "pass"
PY

run checklist "$DEMO" --input image:1x3x64x64 --precision-is-not-an-option
expect_status 2 "checklist usage error"
run checklist "$DEMO" --input image:1x3x64x64 --units CPU_ONLY --verify
expect_status 1 "checklist fails with CPU_ONLY (no Neural Engine)"
expect_out_contains "[fail       ] Estimated Neural Engine use" "checklist text: the Neural Engine item fails"
expect_out_contains "[pass       ] Accuracy tested against the source model" "checklist text: accuracy checked"
expect_out_contains "[warn       ] Tested with representative inputs" "checklist text: random inputs only"

finish
