# Flexible input shapes from the command line and a settings file: ranges and enumerated shapes are
# written into the package, `inspect` shows them, `verify` checks the package at another allowed
# shape given as an array, refuses one outside the allowed set, and the deployment target gates
# enumerated shapes on several inputs.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model flex_cnn.pt
require_model demo_cnn.pt
CNN="$MODELS/flex_cnn.pt"

run convert "$CNN" -o "$WORK/range.mlpackage" --input "x:1x3x(32..128=64)x(32..128=64)" --precision fp32
expect_status 0 "convert with ranges"
run inspect "$WORK/range.mlpackage"
expect_status 0 "inspect ranges"
expect_out_contains "1x3x64x64 (default; allows 1x3x(32..128)x(32..128))" "inspect ranges"

# The package at a shape it was not lowered with, against libtorch.
/usr/bin/python3 -c "import numpy; numpy.save('$WORK/x96x48.npy', numpy.random.RandomState(1).randn(1, 3, 96, 48).astype('float32')); numpy.save('$WORK/x130.npy', numpy.zeros((1, 3, 130, 64), 'float32'))"
run verify "$CNN" "$WORK/range.mlpackage" --inputs "x=$WORK/x96x48.npy"
expect_status 0 "verify at 1x3x96x48"
run verify "$CNN" "$WORK/range.mlpackage" --inputs "x=$WORK/x130.npy"
expect_status 1 "verify outside the range"
expect_err_contains "the model expects 1x3x(32..128)x(32..128)" "verify outside the range"
expect_no_trace "verify outside the range"

# Enumerated image sizes through a settings file.
cat > "$WORK/enum.json" <<JSON
{"inputs": [{"name": "image", "shape": [1, 3, 64, 64], "enumeratedShapes": [[1, 3, 64, 64], [1, 3, 96, 128]],
             "image": {"layout": "RGB", "scale": 0.00392156862745098}}]}
JSON
run convert "$MODELS/demo_cnn.pt" -o "$WORK/enum.mlpackage" --config "$WORK/enum.json"
expect_status 0 "convert with enumerated shapes from a settings file"
run inspect --json "$WORK/enum.mlpackage"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
i = d["inputs"][0]
assert i["type"] == "image" and i["shape"] == [1, 3, 64, 64], i
assert i["enumeratedShapes"] == [[1, 3, 64, 64], [1, 3, 96, 128]], i
' || fail "inspect --json: enumerated shapes not listed"

# Unbounded ranges and enumerated shapes on two inputs before iOS18 are refused with what to do.
run convert "$CNN" -o "$WORK/unbounded.mlpackage" --input "x:1x3x(32..)x64"
expect_status 1 "unbounded range"
expect_err_contains "has no upper bound" "unbounded range"
[ ! -e "$WORK/unbounded.mlpackage" ] || fail "unbounded range: a package was written"
finish
