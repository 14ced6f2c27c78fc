# Each bad input exits 1 with a message naming the file and saying what to do, and writes nothing.
source "$(dirname "$0")/lib/assert.sh" "$@"
for m in demo_cnn.pt not_torchscript.pt not_torchscript_legacy.pt truncated.pt random_bytes.pt; do require_model "$m"; done
DEMO="$MODELS/demo_cnn.pt"
OUTPKG="$WORK/out.mlpackage"

check_failure() {  # check_failure WHAT FILE_IN_MESSAGE
    expect_status 1 "$1"
    expect_err_contains "$2" "$1"
    expect_err_contains "What to do:" "$1"
    expect_no_trace "$1"
    [ ! -e "$OUTPKG" ] || fail "$1: left an output package behind"
    ls "$WORK" | grep -q mlpackage && fail "$1: left a partial package in $WORK: $(ls "$WORK")"
}

run convert "$WORK/no_such_model.pt" -o "$OUTPKG" --input x:1x3
check_failure "missing file" "no_such_model.pt"

run convert "$MODELS/not_torchscript.pt" -o "$OUTPKG" --input x:1x16
check_failure "state_dict instead of TorchScript" "not_torchscript.pt"
expect_err_contains "not TorchScript" "state_dict instead of TorchScript"

run convert "$MODELS/not_torchscript_legacy.pt" -o "$OUTPKG" --input x:1x16
check_failure "legacy pickle" "not_torchscript_legacy.pt"

run convert "$MODELS/truncated.pt" -o "$OUTPKG" --input x:1x16
check_failure "truncated archive" "truncated.pt"
expect_err_contains "truncated" "truncated archive"

run convert "$MODELS/random_bytes.pt" -o "$OUTPKG" --input x:1x16
check_failure "random bytes" "random_bytes.pt"

printf 'not really hdf5' > "$WORK/model.h5"
run convert "$WORK/model.h5" -o "$OUTPKG" --input x:1x16
check_failure "Keras file" "model.h5"
expect_err_contains "not an HDF5 file" "Keras file"

# Damaged HDF5 weights on which libhdf5 1.10.8 segfaults: the read in a child process turns it into an error.
CRASHER="$(dirname "$0")/../hostile/corpus/keras/libhdf5_segv_h5f_accum_read.keras"
run convert "$CRASHER" -o "$OUTPKG"
check_failure "Keras file that crashes libhdf5" "libhdf5_segv_h5f_accum_read.keras"
expect_err_contains "libhdf5 crashed reading it" "Keras file that crashes libhdf5"

printf 'onnx' > "$WORK/model.onnx"
run convert "$WORK/model.onnx" -o "$OUTPKG" --input x:1x16
check_failure "ONNX file" "model.onnx"
expect_err_contains "convert from PyTorch directly" "ONNX file"

mkdir -p "$WORK/a_folder"
run convert "$WORK/a_folder" -o "$OUTPKG" --input x:1x16
check_failure "a folder as model" "a_folder: this is a folder"

# Four channels into a convolution that expects three.
run convert "$DEMO" -o "$OUTPKG" --input image:1x4x224x224
check_failure "wrong input shape" "demo_cnn.pt"

run convert "$DEMO" -o "$OUTPKG"
check_failure "no input shape" "demo_cnn.pt"
expect_err_contains "--input image:" "no input shape"

run convert "$DEMO" -o "$OUTPKG" --input nosuchinput:1x3x224x224
check_failure "unknown input name" "demo_cnn.pt"
expect_err_contains 'no input named "nosuchinput"' "unknown input name"

run convert "$DEMO" -o "$OUTPKG" --input image:1x3x224x224:dtype=fp16
check_failure "fp16 input below iOS16" "demo_cnn.pt"
expect_err_contains "iOS16" "fp16 input below iOS16"

printf '{"precison": "fp16"}' > "$WORK/settings.json"
run convert "$DEMO" -o "$OUTPKG" --config "$WORK/settings.json"
check_failure "settings typo" "settings.json: precison: unknown key"

# A failed conversion leaves an existing package untouched.
mkdir -p "$WORK/keep.mlpackage" && echo original > "$WORK/keep.mlpackage/marker"
run convert "$MODELS/truncated.pt" -o "$WORK/keep.mlpackage" --input x:1x16
expect_status 1 "failure over an existing package"
[ "$(cat "$WORK/keep.mlpackage/marker" 2>/dev/null)" = original ] || fail "an existing package was changed by a failed run"
rm -rf "$WORK/keep.mlpackage"

run inspect "$WORK/no_such.mlpackage"
expect_status 1 "inspect a missing package"
expect_err_contains "no_such.mlpackage" "inspect a missing package"
expect_no_trace "inspect a missing package"

finish
