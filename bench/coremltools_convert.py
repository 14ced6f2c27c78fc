#!/usr/bin/python3
"""Converts a TorchScript model with Apple's coremltools, for the benchmark's baseline column.

coremltools is not packaged for Debian; this imports a coremltools source tree through the development
checker's bootstrap (../shared/tools/coreml-check/ct_env.py), which stands in for its compiled extensions.
Usage: coremltools_convert.py CHECKER_DIR MODEL.pt OUT.mlpackage INPUT_NAME 1x3x224x224
"""
import sys

checker_dir, model_path, out_path, input_name, shape_text = sys.argv[1:6]
sys.path.insert(0, checker_dir)
import ct_env  # noqa: E402

ct = ct_env.import_coremltools()
import torch  # noqa: E402

shape = tuple(int(d) for d in shape_text.split("x"))
model = torch.jit.load(model_path, map_location="cpu").eval()
mlmodel = ct.convert(
    model,
    inputs=[ct.TensorType(name=input_name, shape=shape)],
    convert_to="mlprogram",
    minimum_deployment_target=ct.target.iOS15,
    compute_precision=ct.precision.FLOAT16,
)
mlmodel.save(out_path)
