# coreml-cli verify: the converted demo model (image input with preprocessing) against libtorch.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
DEMO="$MODELS/demo_cnn.pt"
IMAGE_INPUT="image:1x3x224x224:image,scale=1/255,bias=-0.5,-0.5,-0.5"

run convert "$DEMO" -o "$WORK/demo32.mlpackage" --input "$IMAGE_INPUT" --precision fp32
expect_status 0 "convert fp32"
run convert "$DEMO" -o "$WORK/demo16.mlpackage" --input "$IMAGE_INPUT"
expect_status 0 "convert fp16"

run verify "$DEMO" "$WORK/demo32.mlpackage" --json "$WORK/report.json"
expect_status 0 "verify fp32"
expect_out_contains "Result: PASS" "verify fp32"
expect_out_contains "pixels uniform in [0, 255]" "verify fp32 random image input"
python3 - "$WORK/report.json" <<'PY' || fail "verify --json: report content"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"] is True and r["precision"] == "fp32", r
assert r["min_snr_db"] == 60, r
out = r["outputs"][0]
assert out["snr_db"] == "inf" or out["snr_db"] > 60, out
PY

run verify "$DEMO" "$WORK/demo16.mlpackage" --per-layer
expect_status 0 "verify fp16 --per-layer"
expect_out_contains "Per layer" "verify fp16 --per-layer"
expect_out_contains "(fp16)" "verify fp16 --per-layer"

run verify "$DEMO" "$WORK/demo32.mlpackage" --rtol 1e-4 --atol 1e-5 --json -
expect_status 0 "verify --rtol/--atol --json -"
echo "$OUT" | python3 -c 'import json, sys; r = json.load(sys.stdin); assert r["rtol"] == 1e-4 and r["passed"]' ||
    fail "verify --json -: stdout is not the JSON report"

run verify "$DEMO" "$WORK/demo16.mlpackage" --min-snr 1000
expect_status 3 "verify with an unreachable SNR"
expect_out_contains "Result: FAIL" "verify with an unreachable SNR"

run verify "$DEMO" "$WORK/demo32.mlpackage" --min-snr 40 --rtol 1e-3
expect_status 2 "--min-snr with --rtol"

/usr/bin/python3 -c "
import numpy as np, sys
rng = np.random.default_rng(1)
np.savez(sys.argv[1] + '/good.npz', image=rng.uniform(0, 255, (1, 3, 224, 224)).astype(np.float32))
np.savez(sys.argv[1] + '/wrong.npz', pixels=np.zeros((1, 3, 224, 224), np.float32))
" "$WORK" || fail "writing .npz inputs"
run verify "$DEMO" "$WORK/demo32.mlpackage" --inputs "$WORK/good.npz"
expect_status 0 "verify --inputs good.npz"
expect_out_contains "good.npz" "verify --inputs good.npz"
run verify "$DEMO" "$WORK/demo32.mlpackage" --inputs "$WORK/wrong.npz"
expect_status 1 "verify --inputs wrong.npz"
expect_err_contains "no array named image" "verify --inputs wrong.npz"
expect_no_trace "verify --inputs wrong.npz"

# Image files: resized to the input, pixels 0-255 in the package's layout, preprocessed by both sides.
/usr/bin/python3 - "$WORK" <<'PY' || fail "writing image inputs"
import sys
import numpy as np
from PIL import Image
rng = np.random.default_rng(2)
pixels = rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)
Image.fromarray(pixels).save(sys.argv[1] + "/photo.png")
Image.fromarray(pixels).save(sys.argv[1] + "/photo.jpg", quality=90)
PY
run verify "$DEMO" "$WORK/demo32.mlpackage" --inputs "$WORK/photo.png" --rtol 1e-4 --atol 1e-5
expect_status 0 "verify --inputs photo.png"
expect_out_contains "photo.png (image resized to 224x224, RGB pixels 0-255)" "verify --inputs photo.png"
run verify "$DEMO" "$WORK/demo16.mlpackage" --inputs "image=$WORK/photo.jpg"
expect_status 0 "verify --inputs image=photo.jpg"
expect_out_contains "photo.jpg (image resized" "verify --inputs image=photo.jpg"
run verify "$DEMO" "$WORK/demo32.mlpackage" --inputs "$WORK/photo.png" "$WORK/photo.jpg"
expect_status 1 "verify with two images for one image input"
expect_err_contains "no image input is left" "verify with two images for one image input"
run verify "$DEMO" "$WORK/demo32.mlpackage" --inputs "$WORK/missing.png"
expect_status 1 "verify with a missing image"
expect_err_contains "cannot read the image" "verify with a missing image"
expect_no_trace "verify with a missing image"

finish
