# Command-line misuse exits 2 with a usage message; --help and --version exit 0.
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model demo_cnn.pt
DEMO="$MODELS/demo_cnn.pt"

run
expect_status 2 "no subcommand"

run frobnicate
expect_status 2 "unknown subcommand"

run --version
expect_status 0 "--version"
expect_out_contains "coreml-cli " "--version"

run convert --help
expect_status 0 "convert --help"
expect_out_contains "--precision" "convert --help"

run convert -o "$WORK/x.mlpackage"
expect_status 2 "convert without a model"
expect_err_contains "no MODEL given" "convert without a model"

run convert "$DEMO"
expect_status 2 "convert without an output"
expect_err_contains "no output given" "convert without an output"

run convert "$DEMO" -o "$WORK/x.mlpackage" --precision fp8 --input image:1x3x224x224
expect_status 2 "bad --precision"
expect_err_contains "--precision" "bad --precision"

run convert "$DEMO" -o "$WORK/x.mlpackage" --target iOS14 --input image:1x3x224x224
expect_status 2 "bad --target"

run convert "$DEMO" -o "$WORK/x.mlpackage" --input image:1x3xQx224
expect_status 2 "malformed --input"
expect_err_contains 'image:1x3xQx224' "malformed --input"
expect_err_contains "expected positive dimensions" "malformed --input"

run convert "$DEMO" -o "$WORK/x.mlpackage" --input image:1x3x224x224 --bogus-flag
expect_status 2 "unknown option"

run inspect
expect_status 2 "inspect without a package"

run ops
expect_status 2 "ops without a model"

[ ! -e "$WORK/x.mlpackage" ] || fail "a usage error left an output package"
finish
