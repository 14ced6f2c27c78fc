"""Traced torchvision classification models (random init, no downloads) with reference outputs.

For each model NAME: tv_NAME.pt (traced in eval mode on 1x3x224x224), tv_NAME.json (input
shape, seed and output statistics), tv_NAME.input.npy and tv_NAME.output.npy (the seeded input
and the model's output on it, for accuracy tests of converted packages).

Batch norm is made non-trivial: affine parameters are randomised, then the running statistics
are measured on random images in training mode, so activations keep realistic magnitudes
(fp16 conversions of these models must stay finite) while batch norm is far from an identity.

The batch norm ending each residual branch gets a small affine (x RESIDUAL_BRANCH_GAIN), as
trained residual networks have (and as zero-init-residual training starts). With full-size random
branches a batch-normalised network is chaotic: it amplifies any perturbation of its input by
orders of magnitude, so even PyTorch's own fp16 arithmetic loses 33 dB (resnet50) and no fp16
conversion can reach 40 dB. Damped, the same architectures keep ~50-60 dB in PyTorch's fp16.
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
CALIBRATION_BATCH = 4
RESIDUAL_BRANCH_GAIN = 0.2


def residual_branch_ends(model):
    """The batch norms whose output is the last step of a residual (or shuffle) branch."""
    ends = []
    for m in model.modules():
        kind = type(m).__name__
        if kind == "Bottleneck":
            ends.append(m.bn3)
        elif kind == "BasicBlock":
            ends.append(m.bn2)
        elif kind == "InvertedResidual" and getattr(m, "use_res_connect", False):
            last = (m.conv if hasattr(m, "conv") else m.block)[-1]  # mobilenet_v2 / mobilenet_v3
            ends.append(last if isinstance(last, nn.BatchNorm2d) else last[1])
        elif kind == "InvertedResidual" and hasattr(m, "branch2"):  # shufflenet: conv, bn, relu at the end
            ends.append(m.branch2[-2])
        elif kind == "MBConv" and m.use_res_connect:
            ends.append(m.block[-1][1])
        elif kind == "ResBottleneckBlock":
            ends.append(m.f.c[1])
    return ends


def calibration_images(input_shape, generator):
    """Noise images that differ in contrast and per-channel brightness, as photos do. Plain white noise
    images all look alike after a global pool, so a batch norm there (DeepLab's ASPP pooling branch)
    would learn a near-zero variance and amplify every rounding error by orders of magnitude."""
    batch = (CALIBRATION_BATCH,) + tuple(input_shape[1:])
    contrast = torch.rand(CALIBRATION_BATCH, *([1] * (len(input_shape) - 1)), generator=generator) + 0.5
    brightness = torch.randn(CALIBRATION_BATCH, input_shape[1], *([1] * (len(input_shape) - 2)), generator=generator) * 0.5
    return torch.randn(batch, generator=generator) * contrast + brightness


def randomise_batch_norm(model, generator, input_shape=INPUT_SHAPE):
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    damped = {id(m) for m in residual_branch_ends(model)}
    with torch.no_grad():
        for m in norms:
            n = m.num_features
            gain = RESIDUAL_BRANCH_GAIN if id(m) in damped else 1.0
            m.weight.copy_((torch.rand(n, generator=generator) + 0.5) * gain)
            m.bias.copy_((torch.rand(n, generator=generator) - 0.5) * 0.4 * gain)
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the calibration batches
        model.train()
        model(calibration_images(input_shape, generator))
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
