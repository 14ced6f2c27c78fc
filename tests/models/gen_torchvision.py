"""Traced torchvision classification models (random init, no downloads) with reference outputs.

For each model NAME: tv_NAME.pt (traced in eval mode on 1x3x224x224), tv_NAME.json (input
shape, seed and output statistics), tv_NAME.input.npy and tv_NAME.output.npy (the seeded input
and the model's output on it, for accuracy tests of converted packages).

Batch norm is made non-trivial: affine parameters are randomised, then the running statistics
are measured on random images in training mode, so activations keep realistic magnitudes
(fp16 conversions of these models must stay finite) while batch norm is far from an identity.
"""
import os

import numpy as np
import torch
import torchvision
from torch import nn

from fixture_io import seed_for, up_to_date, write_atomically, write_json, save_scripted

MODELS = [
    "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
    "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121", "regnet_y_400mf", "convnext_tiny",
]
INPUT_SHAPE = (1, 3, 224, 224)
CALIBRATION_BATCH = 2


def randomise_batch_norm(model, generator):
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    with torch.no_grad():
        for m in norms:
            n = m.num_features
            m.weight.copy_(torch.rand(n, generator=generator) + 0.5)
            m.bias.copy_((torch.rand(n, generator=generator) - 0.5) * 0.4)
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the calibration batches
        model.train()
        model(torch.randn(CALIBRATION_BATCH, *INPUT_SHAPE[1:], generator=generator))
        for m in norms:
            m.momentum = 0.1


def build(name):
    seed = seed_for(name)
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None)
    randomise_batch_norm(model, torch.Generator().manual_seed(seed + 1))
    model.eval()
    example = torch.randn(INPUT_SHAPE, generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        # check_trace re-runs and re-traces the model (3-5x the cost); the reference output written beside
        # each model, and the conversions checked against it, verify the trace instead.
        traced = torch.jit.trace(model, example, check_trace=False)
    return traced, seed


def reference(traced, name, input_seed):
    x = torch.randn(INPUT_SHAPE, generator=torch.Generator().manual_seed(input_seed))
    with torch.no_grad():
        y = traced(x)
    if not torch.isfinite(y).all():
        raise RuntimeError(f"{name}: reference output is not finite")
    return x.numpy(), y.numpy()


def generate(outdir):
    sources = [os.path.abspath(__file__), os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture_io.py")]
    for name in MODELS:
        stem = os.path.join(outdir, f"tv_{name}")
        outputs = [stem + ".pt", stem + ".json", stem + ".input.npy", stem + ".output.npy"]
        if up_to_date(outputs, sources):
            continue
        traced, seed = build(name)
        input_seed = seed + 3
        x, y = reference(traced, name, input_seed)
        write_atomically(stem + ".input.npy", lambda tmp: np.save(open(tmp, "wb"), x))
        write_atomically(stem + ".output.npy", lambda tmp: np.save(open(tmp, "wb"), y))
        flat = y.reshape(-1)
        write_json(stem + ".json", {
            "model": f"tv_{name}.pt",
            "torchvision_name": name,
            "input_name": "x",
            "input_shape": list(INPUT_SHAPE),
            "input_dtype": "float32",
            "input_distribution": "torch.randn",
            "input_seed": input_seed,
            "input_npy": f"tv_{name}.input.npy",
            "output_shape": list(y.shape),
            "output_npy": f"tv_{name}.output.npy",
            "output_stats": {
                "mean": float(flat.mean()), "std": float(flat.std()),
                "min": float(flat.min()), "max": float(flat.max()),
                "abs_max": float(np.abs(flat).max()), "argmax": int(flat.argmax()),
            },
            "output_first": [float(v) for v in flat[:8]],
        })
        save_scripted(traced, stem + ".pt")  # last: its presence marks the set complete
