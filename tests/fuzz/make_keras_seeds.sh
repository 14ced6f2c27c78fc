#!/usr/bin/env bash
# Regenerates the seeds of fuzz_keras_archive and fuzz_keras_h5 from the Keras test fixtures, which
# tests/models/keras/generate_keras_models.py builds with TensorFlow.js under node (and NumPy for the keras_np_*
# models). Three small models covering different layer families, each as a Keras 3 .keras archive (a stored zip:
# fuzz_keras_archive's mutator rewrites its entries) and as a Keras 2 .h5 file.
#   make_keras_seeds.sh [NODE_MODULES_DIR]   (default: build/keras-fixtures/node_modules, from packaging/setup.sh)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NODE_MODULES=${1:-$HERE/../../build/keras-fixtures/node_modules}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

/usr/bin/python3 "$HERE/../models/keras/generate_keras_models.py" "$WORK" "$NODE_MODULES" >/dev/null
mkdir -p "$HERE/seeds/keras_archive" "$HERE/seeds/keras_h5"
# keras_np_misc: Conv1D, pooling, cropping, padding, upsampling, Normalization, Subtract, Dense (Functional).
# keras_time_distributed: TimeDistributed Conv2D/Flatten, LSTM, Dense. keras_np_resize: Conv2D, UpSampling2D.
# keras_lambda: Sequential Dense and a Lambda (the Keras 2 form stores its Python code, never run).
for model in keras_np_misc keras_time_distributed keras_np_resize; do
    cp "$WORK/$model.keras" "$HERE/seeds/keras_archive/"
done
for model in keras_np_misc keras_time_distributed keras_lambda; do
    cp "$WORK/$model.h5" "$HERE/seeds/keras_h5/"
done
