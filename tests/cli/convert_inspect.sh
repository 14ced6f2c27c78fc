# Converts the demo model in both precisions and two targets, then inspects the packages.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
DEMO="$MODELS/demo_cnn.pt"

run convert "$DEMO" -o "$WORK/demo16.mlpackage" --input image:1x3x224x224:image,scale=1/255,bias=-0.5,-0.5,-0.5 \
    --output-name scores
expect_status 0 "convert fp16"
expect_out_contains "Wrote $WORK/demo16.mlpackage" "convert fp16"
expect_out_contains "(fp16, iOS15)" "convert fp16"
for stage in import lower passes write verify; do expect_err_contains "$stage" "progress line for $stage"; done
[ -f "$WORK/demo16.mlpackage/Manifest.json" ] || fail "convert fp16: no Manifest.json"
[ -f "$WORK/demo16.mlpackage/Data/com.apple.CoreML/model.mlmodel" ] || fail "convert fp16: no model.mlmodel"
[ -f "$WORK/demo16.mlpackage/Data/com.apple.CoreML/weights/weight.bin" ] || fail "convert fp16: no weight.bin"

run inspect "$WORK/demo16.mlpackage"
expect_status 0 "inspect fp16"
expect_out_contains "Specification:  6 (iOS15)" "inspect fp16"
expect_out_contains "Opset:          CoreML5" "inspect fp16"
expect_out_contains "Image RGB" "inspect fp16"
expect_out_contains "scores" "inspect fp16"
expect_out_contains "cms.source = demo_cnn.pt" "inspect fp16"
expect_out_contains "conv" "inspect fp16"
echo "$OUT" | grep -Eq '^  fp16 ' || fail "inspect fp16: no fp16 weights listed"

run inspect --json "$WORK/demo16.mlpackage"
expect_status 0 "inspect --json"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["specificationVersion"] == 6, d["specificationVersion"]
assert d["inputs"][0]["type"] == "image" and d["inputs"][0]["shape"] == [1, 3, 224, 224], d["inputs"]
assert d["outputs"][0]["name"] == "scores" and d["outputs"][0]["dtype"] == "fp32", d["outputs"]
assert d["outputs"][0]["shape"] == [1, 10], d["outputs"]
assert d["weights"]["fp16"]["bytes"] > 100000, d["weights"]
assert "fp32" not in d["weights"] or d["weights"]["fp32"]["bytes"] < d["weights"]["fp16"]["bytes"], d["weights"]
assert d["opCount"] > 10
' || fail "inspect --json: unexpected content"

# fp32 for iOS17, through a saved settings file; the command line overrides the file.
run convert "$DEMO" -o "$WORK/ignored.mlpackage" --input image:1x3x224x224 --precision fp32 --target iOS17 \
    --save-config "$WORK/cfg/settings.json"
expect_status 1 "save-config into a missing folder"
mkdir -p "$WORK/cfg"
run convert "$DEMO" --input image:1x3x224x224 --precision fp32 --target iOS17 --save-config "$WORK/cfg/settings.json"
expect_status 0 "save-config without output"
[ -f "$WORK/cfg/settings.json" ] || fail "save-config wrote no file"
[ ! -e "$WORK/ignored.mlpackage" ] || fail "save-config without output converted anyway"
run convert --config "$WORK/cfg/settings.json" -o "$WORK/demo32.mlpackage" -v
expect_status 0 "convert from settings file"
expect_out_contains "(fp32, iOS17)" "convert from settings file"
expect_out_contains "Stage times:" "verbose convert"

run inspect "$WORK/demo32.mlpackage"
expect_status 0 "inspect fp32"
expect_out_contains "Specification:  8 (iOS17)" "inspect fp32"
expect_out_contains "Opset:          CoreML7" "inspect fp32"
expect_out_contains "MultiArray fp32" "inspect fp32"
echo "$OUT" | grep -Eq '^  fp16 ' && fail "inspect fp32: fp16 weights in an fp32 conversion"

# Converting again replaces the package.
run convert "$DEMO" -o "$WORK/demo16.mlpackage" --input image:1x3x224x224 --precision fp32
expect_status 0 "replace an existing package"
run inspect "$WORK/demo16.mlpackage"
expect_out_contains "MultiArray fp32" "replaced package is the new one"

run ops "$DEMO"
expect_status 0 "ops"
expect_out_contains "Inputs:  image" "ops"
expect_out_contains "Every op converts." "ops"
run ops --json "$DEMO"
expect_status 0 "ops --json"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["inputs"] == ["image"], d["inputs"]
assert all(op["supported"] for op in d["ops"]), d["ops"]
assert sum(op["count"] for op in d["ops"]) > 10
' || fail "ops --json: unexpected content"

finish
