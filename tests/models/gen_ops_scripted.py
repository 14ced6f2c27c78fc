"""Op fixtures that only scripted code reaches: Python numbers taken from tensors (item, Float,
Bool), tensors made from numbers (tensor, scalar_tensor), shape/dtype/device queries, and
functional calls that tracing records as another op (conv_transpose1d becomes aten::_convolution).

Each module is saved with torch.jit.script, so its graph holds the op as written. The files follow
gen_ops_shape.py (op_NAME.pt + op_NAME.json), and lower.test_op_numerics compares each with libtorch.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class ItemScalars(nn.Module):
    """aten::item and aten::_local_scalar_dense on run-time values, used as numbers."""

    def forward(self, x):
        s = x.sum().item()
        m = torch.ops.aten._local_scalar_dense(x.mean())
        return x * s + m


class TensorFromNumbers(nn.Module):
    """aten::tensor of a constant list and of run-time numbers (aten::Float of 0-d tensors)."""

    def forward(self, x):
        offsets = torch.tensor([[1.0, -2.0, 0.5]])
        extremes = torch.tensor([float(x.max()), float(x.min()), 3.0])
        return x + offsets + extremes


class ScalarTensors(nn.Module):
    """aten::scalar_tensor of a run-time number and of a constant, with an explicit dtype."""

    def forward(self, x):
        peak = torch.scalar_tensor(float(x.abs().max()))
        two = torch.scalar_tensor(2, dtype=torch.float32)
        return x / peak + two


class ShapeQueries(nn.Module):
    """aten::numel, prim::dtype, prim::device and aten::is_floating_point (through aten::Float)."""

    def forward(self, x):
        n = x.numel()
        ones = torch.ones([x.size(1)], dtype=x.dtype, device=x.device)
        return x * float(n) + ones * float(x.is_floating_point())


class BoolFloat(nn.Module):
    """aten::Bool of a run-time comparison and aten::Float of that bool."""

    def forward(self, x):
        positive = bool(x.sum() > 0)
        return x + float(positive) * 2.0 - 1.0


class LiftFresh(nn.Module):
    """The functionalization copies aten::lift_fresh / aten::lift_fresh_copy (identities)."""

    def forward(self, x):
        return torch.ops.aten.lift_fresh_copy(x) * 2.0 + torch.ops.aten.lift_fresh(x)


class ConvTranspose1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(4, 3, 3) * 0.3)
        self.bias = nn.Parameter(torch.randn(3) * 0.1)

    def forward(self, x):
        return F.conv_transpose1d(x, self.weight, self.bias, 2, 1, 1)


def f32(*shape):
    return ("float32", shape)


# name -> (module class, [(input name, (dtype, shape))])
CASES = {
    "scripted_item": (ItemScalars, [("x", f32(2, 3))]),
    "scripted_tensor": (TensorFromNumbers, [("x", f32(2, 3))]),
    "scripted_scalar_tensor": (ScalarTensors, [("x", f32(2, 4))]),
    "scripted_shape_queries": (ShapeQueries, [("x", f32(2, 5))]),
    "scripted_bool_float": (BoolFloat, [("x", f32(3, 2))]),
    "scripted_lift_fresh": (LiftFresh, [("x", f32(2, 3))]),
    "scripted_conv_transpose1d": (ConvTranspose1d, [("x", f32(1, 4, 6))]),
}


def build(name, cls, inputs, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = cls().eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = [torch.randn(*shape, generator=gen) for _, (_, shape) in inputs]
    with torch.no_grad():
        scripted = torch.jit.script(module)
        result = scripted(*args)
    save_scripted(scripted, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": False,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (cls, inputs) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, cls, inputs, outdir)
