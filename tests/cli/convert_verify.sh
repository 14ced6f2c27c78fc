# coreml-cli convert --verify: the accuracy check right after the conversion, its exit codes and options.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
require_model fp16_overflow.pt
DEMO="$MODELS/demo_cnn.pt"
IMAGE_INPUT="image:1x3x224x224:image,scale=1/255,bias=-0.5,-0.5,-0.5"

run convert "$DEMO" -o "$WORK/demo16.mlpackage" --input "$IMAGE_INPUT" --verify
expect_status 0 "convert --verify (fp16)"
expect_out_contains "Wrote $WORK/demo16.mlpackage" "convert --verify (fp16)"
expect_out_contains "Criterion: SNR >= 40 dB" "convert --verify (fp16)"
expect_out_contains "Result: PASS" "convert --verify (fp16)"
expect_err_contains "accuracy PASS" "convert --verify progress"

run convert "$DEMO" -o "$WORK/demo32.mlpackage" --input "$IMAGE_INPUT" --precision fp32 --verify --rtol 1e-4 --atol 1e-5
expect_status 0 "convert --verify --rtol --atol (fp32)"
expect_out_contains "(fp32)" "convert --verify --rtol --atol (fp32)"
expect_out_contains "elements outside tolerance: 0 of 10" "convert --verify --rtol --atol (fp32)"

run convert "$DEMO" -o "$WORK/strict.mlpackage" --input "$IMAGE_INPUT" --verify --min-snr 1000
expect_status 3 "convert --verify with an unreachable SNR"
expect_out_contains "Result: FAIL" "convert --verify with an unreachable SNR"
expect_err_contains "accuracy FAIL" "convert --verify with an unreachable SNR"
[ -f "$WORK/strict.mlpackage/Manifest.json" ] || fail "convert --verify failing the check: the package is still written"

# fp16 overflow is a failing check (inf outputs), and the report names the op to keep in fp32.
run convert "$MODELS/fp16_overflow.pt" -o "$WORK/overflow.mlpackage" --input x:1x16 --verify
expect_status 3 "convert --verify of an fp16-overflowing model"
expect_out_contains "First op producing inf/NaN" "convert --verify of an fp16-overflowing model"
expect_out_contains "amplify.fc" "convert --verify of an fp16-overflowing model"

# Taking the per-layer suggestion (the overflowing layer and the block holding it) from the command line fixes it.
run verify "$MODELS/fp16_overflow.pt" "$WORK/overflow.mlpackage" --per-layer
expect_out_contains "convert --keep-fp32 NAME, settings key fp32Ops): amplify.fc amplify" "verify --per-layer suggestion"
run convert "$MODELS/fp16_overflow.pt" -o "$WORK/overflow.mlpackage" --input x:1x16 --verify --keep-fp32 amplify.fc --keep-fp32 amplify
expect_status 0 "convert --verify --keep-fp32 of the suggested module"
expect_out_contains "Result: PASS" "convert --verify --keep-fp32 of the suggested module"

run convert "$DEMO" -o "$WORK/x.mlpackage" --input "$IMAGE_INPUT" --min-snr 30
expect_status 2 "--min-snr without --verify"
run convert "$DEMO" -o "$WORK/x.mlpackage" --input "$IMAGE_INPUT" --verify --min-snr 30 --atol 1e-3
expect_status 2 "--min-snr with --atol"

finish
