"""tv_resnet18 with its weights replaced by their int8 per-channel symmetric dequantized values.

tv_resnet18_int8_dequantized.pt is the network a package converted from tv_resnet18.pt with
linear_symmetric int8 per-channel quantization computes: the converter folds each batch norm into
the convolution before it (so the quantized tensor is the folded weight, not the module's), and
every weight of at least 2048 elements (all 20 convolutions and the classifier) is stored as
int8 with one scale per output channel. Here the folding is done the same way (float64 arithmetic,
the batch norm's epsilon as a float32), then each folded weight is quantized and dequantized
as Core ML's linear quantization defines it:
    m = max |w| over the output channel;  scale = 2m / 254 (float32);
    q = clip(round_half_even(w / scale), -127, 127);  w' = q * scale.
Biases stay in float32 (they are below the size threshold). Reads tv_resnet18.pt, so this module
must sort after gen_torchvision.py (generate_models.py runs them in name order).
"""
import os

import numpy as np
import torch
import torchvision
from torch import nn

from fixture_io import up_to_date, save_scripted

SOURCE = "tv_resnet18.pt"
OUTPUT = "tv_resnet18_int8_dequantized.pt"
MIN_ELEMENTS = 2048  # weights smaller than this stay uncompressed (Core ML's and our default)
INPUT_SHAPE = (1, 3, 224, 224)


def quantize_dequantize_int8_symmetric(w):
    """Per output channel (axis 0), in float32 as Core ML's definition computes it."""
    w = np.asarray(w, dtype=np.float32)
    axes = tuple(range(1, w.ndim))
    max_abs = np.maximum(np.abs(w.min(axis=axes, keepdims=True)), np.abs(w.max(axis=axes, keepdims=True)))
    qmin, qmax = -127, 127
    scale = ((max_abs - (-max_abs)) / np.float32(qmax - qmin)).astype(np.float32)
    scale[scale == 0] = 1  # an all-zero channel decodes exactly with any scale
    q = np.clip(np.round(w / scale), qmin, qmax)
    return (q.astype(np.float32) * scale).astype(np.float32)


def fold_batch_norm(conv, bn):
    """The convolution with bn folded in, in float64 like the converter's fuse_conv_batchnorm pass."""
    eps = float(np.float32(bn.eps))
    gamma, beta = bn.weight.detach().double(), bn.bias.detach().double()
    mean, var = bn.running_mean.double(), bn.running_var.double()
    scale = gamma / torch.sqrt(var + eps)
    weight = conv.weight.detach().double() * scale.reshape(-1, *([1] * (conv.weight.dim() - 1)))
    bias = conv.bias.detach().double() if conv.bias is not None else torch.zeros_like(scale)
    bias = bias * scale + (beta - mean * scale)
    folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                       conv.dilation, conv.groups, bias=True)
    with torch.no_grad():
        folded.weight.copy_(weight.float())
        folded.bias.copy_(bias.float())
    return folded


def fold_all(module):
    """Replaces every (conv, batch norm) pair of resnet's modules by the folded convolution and an identity."""
    for m in list(module.modules()):
        for conv_name, bn_name in (("conv1", "bn1"), ("conv2", "bn2"), ("conv3", "bn3"), ("0", "1")):
            conv, bn = getattr(m, conv_name, None), getattr(m, bn_name, None)
            if isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d):
                setattr(m, conv_name, fold_batch_norm(conv, bn))
                setattr(m, bn_name, nn.Identity())
    left = [n for n, m in module.named_modules() if isinstance(m, nn.BatchNorm2d)]
    if left:
        raise RuntimeError(f"batch norms not folded: {left}")


def generate(outdir):
    source = os.path.join(outdir, SOURCE)
    output = os.path.join(outdir, OUTPUT)
    if not os.path.exists(source):
        raise RuntimeError(f"{SOURCE} is missing: run gen_torchvision.py first")
    if up_to_date([output], [os.path.abspath(__file__), source]):
        return
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict(torch.jit.load(source).state_dict())
    model.eval()
    fold_all(model)
    quantized = 0
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)) and m.weight.numel() >= MIN_ELEMENTS:
                m.weight.copy_(torch.from_numpy(quantize_dequantize_int8_symmetric(m.weight.numpy())))
                quantized += 1
    if quantized != 21:
        raise RuntimeError(f"expected 21 quantized weights (20 convolutions and fc), found {quantized}")
    example = torch.zeros(INPUT_SHAPE)
    with torch.no_grad():
        traced = torch.jit.trace(model, example, check_trace=False)
    save_scripted(traced, output)
