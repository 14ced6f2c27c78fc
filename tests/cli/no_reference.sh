# --no-reference never runs the model's own code. hostile_prints.pt is a scripted model whose forward()
# prints CMS-MODEL-CODE-RAN to standard output whenever libtorch runs it, so the marker shows whether a
# command executed the model. The plain verify must show it (else this test could not fail).
source "$(dirname "$0")/lib/assert.sh" "$@"
require_model hostile_prints.pt
MODEL="$MODELS/hostile_prints.pt"
PKG="$WORK/prints.mlpackage"
MARK="CMS-MODEL-CODE-RAN"

expect_no_marker() {  # expect_no_marker WHAT
    case "$OUT$ERR" in *"$MARK"*) fail "$1: the model's code ran" ;; esac
}

run convert "$MODEL" -o "$PKG" --input x:1x3x8x8
expect_status 0 "convert"
expect_no_marker "convert"
expect_out_contains "print() in the model's code" "convert warns that the print is left out"

run verify "$MODEL" "$PKG"
expect_status 0 "verify with libtorch"
expect_out_contains "$MARK" "verify with libtorch runs the model (the marker works)"

run verify "$MODEL" "$PKG" --no-reference
expect_status 0 "verify --no-reference"
expect_no_marker "verify --no-reference"
expect_out_contains "Reference: the model's fp32 conversion" "verify --no-reference"
expect_out_contains "Output" "verify --no-reference compares the outputs"

# Per layer needs libtorch's run of the model: refused before anything runs.
run verify "$MODEL" "$PKG" --no-reference --per-layer
expect_status 2 "verify --no-reference --per-layer"
expect_err_contains "--per-layer excludes --no-reference" "verify --no-reference --per-layer"
expect_no_marker "verify --no-reference --per-layer"

# convert --verify --no-reference, with an image input (its preprocessing feeds the fp32 conversion too).
run convert "$MODEL" -o "$WORK/image.mlpackage" --input "x:1x3x8x8:image,scale=0.0078125,bias=-1,-1,-1" \
    --verify --no-reference --min-snr 30
expect_status 0 "convert --verify --no-reference (image input)"
expect_no_marker "convert --verify --no-reference"
expect_out_contains "Reference: the model's fp32 conversion" "convert --verify --no-reference"

# The settings document carries it: a saved config with noReference verifies without running the model.
run convert "$MODEL" -o "$WORK/saved.mlpackage" --input x:1x3x8x8 --no-reference --save-config "$WORK/s.json"
expect_status 0 "convert --no-reference --save-config"
grep -q '"noReference": true' "$WORK/s.json" || fail "the saved settings lack noReference: $(cat "$WORK/s.json")"
run convert --config "$WORK/s.json" --verify
expect_status 0 "convert --config (noReference) --verify"
expect_no_marker "convert --config (noReference) --verify"
expect_out_contains "Reference: the model's fp32 conversion" "convert --config (noReference) --verify"

# A class's __setstate__ runs inside libtorch's load, before any forward(): with --no-reference the archive is
# refused before it is loaded, naming the class; without it, converting loads it (and so runs it).
require_model hostile_setstate.pt
SETSTATE="$MODELS/hostile_setstate.pt"
run convert "$SETSTATE" -o "$WORK/setstate.mlpackage" --input x:2x4 --no-reference
expect_status 1 "convert --no-reference of an archive defining __setstate__"
expect_no_marker "convert --no-reference (__setstate__)"
expect_err_contains "SetStatePrints in this archive defines __setstate__" "convert --no-reference (__setstate__)"
expect_err_contains "What to do:" "convert --no-reference (__setstate__)"
[ ! -e "$WORK/setstate.mlpackage" ] || fail "convert --no-reference (__setstate__) wrote a package"
run convert "$SETSTATE" -o "$WORK/setstate.mlpackage" --input x:2x4
expect_status 0 "convert of an archive defining __setstate__"
expect_out_contains "$MARK" "loading an archive runs its __setstate__ (the marker works)"

# Without it, convert --verify runs the model.
run convert "$MODEL" -o "$PKG" --input x:1x3x8x8 --verify
expect_status 0 "convert --verify"
expect_out_contains "$MARK" "convert --verify runs the model"

finish
