"""One tiny traced model per vision/NN op form, for the translator tests (tests/vision).

op_<name>.pt      a traced module exercising one op form (padding mode, groups, ceil_mode ...)
ops_vision.json   per fixture: input shapes, and libtorch's output shape and dtype
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn(nn.Module):
    """Wraps a function of the inputs (and optional parameters) as a module to trace."""

    def __init__(self, fn, **params):
        super().__init__()
        self.fn = fn
        for k, v in params.items():
            self.register_parameter(k, nn.Parameter(v))

    def forward(self, *xs):
        return self.fn(self, *xs)


def randomized_bn(bn):
    with torch.no_grad():
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        if bn.affine:
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
    return bn


def prelu(channels):
    p = nn.PReLU(channels)
    with torch.no_grad():
        p.weight.uniform_(0.05, 0.5)
    return p


def fixtures():
    """name -> (module factory, input shapes)."""
    return {
        # convolutions
        "conv2d_pad1_stride2": (lambda: nn.Conv2d(3, 8, 3, stride=2, padding=1), [[1, 3, 17, 17]]),
        "conv2d_same_even_kernel": (lambda: nn.Conv2d(3, 4, 4, padding="same"), [[1, 3, 10, 9]]),
        "conv2d_same_dilated": (lambda: nn.Conv2d(3, 4, 3, padding="same", dilation=2), [[1, 3, 10, 10]]),
        "conv2d_valid": (lambda: nn.Conv2d(3, 4, (3, 2), padding="valid", bias=False), [[1, 3, 10, 10]]),
        "conv2d_dilated": (lambda: nn.Conv2d(3, 4, 3, dilation=(2, 3), padding=(2, 1)), [[1, 3, 12, 12]]),
        "conv2d_groups": (lambda: nn.Conv2d(8, 16, 3, groups=4, padding=1), [[1, 8, 9, 9]]),
        "conv2d_depthwise": (lambda: nn.Conv2d(8, 8, 3, groups=8, stride=2), [[2, 8, 9, 9]]),
        "conv1d": (lambda: nn.Conv1d(4, 6, 5, stride=2, padding=1), [[2, 4, 20]]),
        "conv3d": (lambda: nn.Conv3d(2, 4, 3, padding=1, stride=(1, 2, 2)), [[1, 2, 6, 6, 6]]),
        "conv_transpose2d": (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1), [[1, 4, 5, 5]]),
        "conv_transpose2d_groups": (lambda: nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1, groups=2), [[1, 4, 5, 5]]),
        "conv_transpose2d_outpad_gt_pad": (lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1), [[1, 4, 5, 5]]),
        "conv_transpose1d": (lambda: nn.ConvTranspose1d(3, 2, 3, stride=3), [[1, 3, 7]]),
        # normalization
        "batch_norm2d": (lambda: randomized_bn(nn.BatchNorm2d(6)), [[2, 6, 5, 5]]),
        "batch_norm1d_rank2": (lambda: randomized_bn(nn.BatchNorm1d(6)), [[4, 6]]),
        "batch_norm1d_rank3": (lambda: randomized_bn(nn.BatchNorm1d(6, affine=False)), [[2, 6, 5]]),
        "layer_norm": (lambda: nn.LayerNorm(8), [[2, 5, 8]]),
        "layer_norm_2d": (lambda: nn.LayerNorm([5, 8]), [[2, 5, 8]]),
        "group_norm": (lambda: nn.GroupNorm(2, 6), [[1, 6, 4, 4]]),
        "instance_norm": (lambda: nn.InstanceNorm2d(3, affine=True), [[1, 3, 8, 8]]),
        # matrix products
        "linear": (lambda: nn.Linear(16, 10), [[2, 5, 16]]),
        "addmm": (lambda: Fn(lambda m, x: torch.addmm(m.b, x, m.w.t()), w=torch.randn(10, 16), b=torch.randn(10)), [[3, 16]]),
        "addmm_scaled": (lambda: Fn(lambda m, x, y: torch.addmm(m.b, x, y, beta=0.5, alpha=2.0), b=torch.randn(3, 5)),
                         [[3, 4], [4, 5]]),
        "matmul_const": (lambda: Fn(lambda m, x: x @ m.w, w=torch.randn(16, 7)), [[2, 5, 16]]),
        "bmm": (lambda: Fn(lambda m, x, y: torch.bmm(x, y)), [[2, 3, 4], [2, 4, 5]]),
        "matmul_broadcast": (lambda: Fn(lambda m, x, y: torch.matmul(x, y)), [[2, 1, 3, 4], [5, 4, 6]]),
        # activations
        "relu": (lambda: nn.ReLU(), [[1, 3, 4, 4]]),
        "relu6": (lambda: nn.ReLU6(), [[1, 3, 4, 4]]),
        "hardtanh": (lambda: nn.Hardtanh(-2.0, 3.0), [[1, 3, 4, 4]]),
        "hardswish": (lambda: nn.Hardswish(), [[1, 3, 4, 4]]),
        "hardsigmoid": (lambda: nn.Hardsigmoid(), [[1, 3, 4, 4]]),
        "sigmoid": (lambda: nn.Sigmoid(), [[2, 7]]),
        "silu": (lambda: nn.SiLU(), [[2, 7]]),
        "gelu": (lambda: nn.GELU(), [[2, 7]]),
        "gelu_tanh": (lambda: nn.GELU(approximate="tanh"), [[2, 7]]),
        "tanh": (lambda: nn.Tanh(), [[2, 7]]),
        "leaky_relu": (lambda: nn.LeakyReLU(0.2), [[2, 7]]),
        "elu": (lambda: nn.ELU(0.5), [[2, 7]]),
        "softplus_beta": (lambda: nn.Softplus(beta=2.0), [[1, 3, 4, 4]]),
        "softplus_beta_rank2": (lambda: nn.Softplus(beta=2.0), [[2, 7]]),
        "prelu": (lambda: prelu(3), [[1, 3, 4, 4]]),
        "prelu_rank2": (lambda: prelu(7), [[2, 7]]),
        "mish": (lambda: nn.Mish(), [[2, 7]]),
        # pooling
        "max_pool2d": (lambda: nn.MaxPool2d(3, stride=2, padding=1), [[1, 3, 9, 9]]),
        "max_pool2d_ceil": (lambda: nn.MaxPool2d(2, stride=2, ceil_mode=True), [[1, 3, 7, 7]]),
        "max_pool1d": (lambda: nn.MaxPool1d(3, stride=2), [[1, 3, 10]]),
        "max_pool3d_ceil": (lambda: nn.MaxPool3d(2, stride=2, ceil_mode=True), [[1, 2, 5, 5, 5]]),
        "avg_pool2d_exclude_pad": (lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), [[1, 3, 8, 8]]),
        "avg_pool2d_include_pad": (lambda: nn.AvgPool2d(3, stride=2, padding=1), [[1, 3, 8, 8]]),
        "avg_pool2d_ceil": (lambda: nn.AvgPool2d(2, stride=2, ceil_mode=True), [[1, 3, 7, 7]]),
        "avg_pool2d_divisor": (lambda: nn.AvgPool2d(2, divisor_override=3), [[1, 3, 8, 8]]),
        "avg_pool1d": (lambda: nn.AvgPool1d(4, stride=2), [[1, 3, 10]]),
        "avg_pool3d": (lambda: nn.AvgPool3d(2), [[1, 2, 4, 6, 6]]),
        "adaptive_avg_pool2d_global": (lambda: nn.AdaptiveAvgPool2d(1), [[1, 4, 7, 7]]),
        "adaptive_avg_pool2d_tiled": (lambda: nn.AdaptiveAvgPool2d((2, 3)), [[1, 4, 8, 9]]),
        "adaptive_avg_pool2d_uneven": (lambda: nn.AdaptiveAvgPool2d(3), [[1, 4, 8, 8]]),
        "adaptive_max_pool2d_global": (lambda: nn.AdaptiveMaxPool2d((1, 1)), [[1, 4, 7, 7]]),
        # elementwise
        "add_int_scalar": (lambda: Fn(lambda m, x: x + 2), [[2, 3]]),
        "mul_float_scalar": (lambda: Fn(lambda m, x: x * 0.5), [[2, 3]]),
        "add_alpha": (lambda: Fn(lambda m, x, y: torch.add(x, y, alpha=2)), [[2, 3, 4], [4]]),
        "sub_broadcast": (lambda: Fn(lambda m, x, y: x - y), [[2, 3, 4], [3, 1]]),
        "rsub_scalar": (lambda: Fn(lambda m, x: 1 - x), [[2, 3]]),
        "div_tensor": (lambda: Fn(lambda m, x, y: x / y), [[2, 3], [3]]),
        "div_floor": (lambda: Fn(lambda m, x, y: torch.div(x, y, rounding_mode="floor")), [[2, 3], [2, 3]]),
        "div_trunc": (lambda: Fn(lambda m, x: torch.div(x, 3.0, rounding_mode="trunc")), [[2, 3]]),
        "pow_scalar": (lambda: Fn(lambda m, x: x ** 2), [[2, 3]]),
        "neg_abs_exp": (lambda: Fn(lambda m, x: torch.exp(-torch.abs(x))), [[2, 3]]),
        "log_sqrt_rsqrt": (lambda: Fn(lambda m, x: torch.log(x.abs() + 1) + torch.sqrt(x.abs()) * torch.rsqrt(x.abs() + 1)),
                           [[2, 3]]),
        "clamp": (lambda: Fn(lambda m, x: torch.clamp(x, -0.5, 0.5)), [[2, 3]]),
        "clamp_min_max": (lambda: Fn(lambda m, x: torch.clamp_max(torch.clamp_min(x, -0.5), 0.25)), [[2, 3]]),
        "clamp_tensor_bounds": (lambda: Fn(lambda m, x, lo: torch.clamp(x, min=lo)), [[2, 3], [3]]),
        "maximum_minimum": (lambda: Fn(lambda m, x, y: torch.maximum(x, y) + torch.minimum(x, y)), [[2, 3], [2, 1]]),
        "compare": (lambda: Fn(lambda m, x, y: ((x > y) & (x <= 0.5)).float() + (x == 0).float()), [[2, 3], [3]]),
    }


def generate(outdir):
    sources = [os.path.abspath(__file__), os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture_io.py")]
    table = fixtures()
    index_path = os.path.join(outdir, "ops_vision.json")
    paths = [os.path.join(outdir, f"op_{name}.pt") for name in table] + [index_path]
    if up_to_date(paths, sources):
        return
    index = {}
    for name, (factory, shapes) in table.items():
        torch.manual_seed(seed_for("op_" + name))
        module = factory().eval()
        inputs = tuple(torch.randn(*s) for s in shapes)
        with torch.no_grad():
            traced = torch.jit.trace(module, inputs, check_trace=False)
            out = traced(*inputs)
        save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
        index[name] = {
            "inputs": shapes,
            "output_shape": list(out.shape),
            "output_dtype": {torch.float32: "fp32", torch.int64: "int32", torch.bool: "bool"}[out.dtype],
        }
    write_json(index_path, index)
