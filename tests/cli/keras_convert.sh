# Keras models on the command line: `convert model.h5` needs no --input (Keras files declare their input
# shapes), keeps the model's channels-last inputs and its output names, takes the guide's channels-last
# ImageType form; `verify` compares with given reference outputs; `ops` lists Keras layers' ops; a Lambda
# layer fails the conversion with the report, and a SavedModel folder is refused with the way to a Keras file.
source "$(dirname "$0")/lib/assert.sh" "$@"
KERAS="$MODELS/keras"
for m in keras/keras_seq_cnn.h5 keras/keras_functional.keras keras/keras_lambda.h5 keras/keras_mobilenet_like.h5; do
    [ -f "$MODELS/$m" ] || { echo "FAIL: fixture $MODELS/$m is missing (the generate_keras_models test makes it)"; exit 1; }
done

run convert "$KERAS/keras_seq_cnn.h5" -o "$WORK/cnn.mlpackage"
expect_status 0 "convert .h5"
expect_out_contains "Wrote $WORK/cnn.mlpackage" "convert .h5"
run inspect "$WORK/cnn.mlpackage"
expect_out_contains "rescale_input" "input named after the first layer"
expect_out_contains "1x17x17x3" "channels-last input shape"
expect_out_contains "probs" "output named after the last layer"

run convert "$KERAS/keras_functional.keras" -o "$WORK/functional.mlpackage" --precision fp32
expect_status 0 "convert .keras"
run inspect "$WORK/functional.mlpackage"
for name in image side logits mask; do expect_out_contains "$name" "feature $name"; done

run convert "$KERAS/keras_mobilenet_like.h5" -o "$WORK/image.mlpackage" \
    --input "pixels:1x32x32x3:image,scale=0.00784313725490196,bias=-1,-1,-1"
expect_status 0 "channels-last image input"
run inspect "$WORK/image.mlpackage"
expect_out_contains "Image" "image input"

run verify "$KERAS/keras_seq_cnn.h5" "$WORK/cnn.mlpackage" --inputs "$KERAS/keras_seq_cnn.input0.npy" \
    --reference "$KERAS/keras_seq_cnn.output0.npy"
expect_status 0 "verify against TensorFlow.js's outputs"
expect_out_contains "Reference: the model's reference files" "verify against reference files"
expect_out_contains "Result: PASS" "verify against reference files"

run ops "$KERAS/keras_seq_cnn.h5"
expect_status 0 "ops of a Keras model"
expect_out_contains "aten::conv2d" "ops lists the conv layers' op"

run convert "$KERAS/keras_lambda.h5" -o "$WORK/lambda.mlpackage"
expect_status 1 "Lambda layer"
expect_err_contains "keras::Lambda" "Lambda layer"
expect_err_contains "scale_by_two" "Lambda layer named"
expect_no_trace "Lambda layer"
[ ! -e "$WORK/lambda.mlpackage" ] || fail "Lambda layer: left a package behind"

mkdir -p "$WORK/saved"
printf 'pb' > "$WORK/saved/saved_model.pb"
run convert "$WORK/saved" -o "$WORK/saved.mlpackage"
expect_status 1 "SavedModel folder"
expect_err_contains "SavedModel folders are not supported" "SavedModel folder"
expect_err_contains "model.keras" "SavedModel folder"

finish
