"""Op fixtures for reference ops that other fixtures reached only through a translator registered
with them (a sibling name): the graph must hold the op itself, since its arguments or semantics
differ from the sibling's (conv2d's int padding vs _convolution, logical_* on floats vs bitwise
ops on bools, mm vs bmm, nll_loss vs nll_loss_nd, ops only called through torch.ops.aten in traced code). torch itself
rewrites clip, concat, true_divide and detach into clamp, cat, div and nothing, so no graph holds them.
Compared with libtorch by lower.test_op_numerics.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn(nn.Module):
    def __init__(self, fn, weights=()):
        super().__init__()
        self.fn = fn
        for i, shape in enumerate(weights):
            self.register_buffer(f"w{i}", torch.randn(*shape))

    def forward(self, x):
        return self.fn(self, x)


class ScriptedConv(nn.Module):
    """Scripted F.convNd keep aten::conv1d/conv2d/conv3d (tracing gives aten::_convolution)."""

    def __init__(self, dims):
        super().__init__()
        self.dims = dims
        k = (3,) * dims
        self.register_buffer("w", torch.randn(4, 2, *k))
        self.register_buffer("b", torch.randn(4))
        self.register_buffer("wt", torch.randn(2, 3, *k))

    def forward(self, x):
        if self.dims == 1:
            y = F.conv1d(x, self.w, self.b, 2, 1, 1, 1) + F.conv1d(x, self.w, self.b, 1, "same", 2, 1).mean()
        elif self.dims == 2:
            y = F.conv2d(x, self.w, self.b, 2, 1, 1, 1) + F.conv2d(x, self.w, self.b, 1, "same", 2, 1).mean()
            y = y.sum() + F.conv_transpose2d(x, self.wt, None, 2, 1, 1, 1, 1).mean()
        else:
            y = F.conv3d(x, self.w, self.b, 1, 1, 1, 1) + F.conv3d(x, self.w, self.b, 1, "same", 1, 1).mean()
            y = y.sum() + F.conv_transpose3d(x, self.wt, None, 1, 0, 0, 1, 1).mean()
        return y


def f32(*shape):
    return ("float32", shape)


def logical(m, x):
    y = x - 0.5  # some exact zeros are unlikely; make some
    y = torch.where(y.abs() < 0.3, torch.zeros_like(y), y)
    a, b = y[0], y[1]
    return torch.stack([torch.logical_and(a, b), torch.logical_or(a, b), torch.logical_xor(a, b),
                        torch.logical_not(a)]).float()


def bitwise(m, x):
    # On bools: Core ML has no integer bitwise ops (coremltools converts these for bools only).
    p, q = x[0] > 0.4, x[1] > 0.6
    return torch.stack([torch.bitwise_and(p, q), torch.bitwise_or(p, q), torch.bitwise_xor(p, q)]).float()


def pool_with_indices(m, x):
    # The values only: Core ML's max_pool returns no indices (using them fails with a clear error).
    v1, _ = F.max_pool1d(x, 2, return_indices=True)
    v2, _ = F.max_pool2d(x.unsqueeze(0), 2, return_indices=True)
    v3, _ = F.max_pool3d(x.unsqueeze(0).unsqueeze(0), 2, return_indices=True)
    return v1.sum() + v2 + v3.sum()


class PoolIndicesUsed(nn.Module):
    def forward(self, x):
        v, i = F.max_pool2d(x, 2, return_indices=True)
        return v + i.float()


# name -> (fn, inputs, buffer shapes)
CASES = {
    "logical_floats": (logical, [f32(2, 3, 4)], ()),
    "bitwise_bools": (bitwise, [f32(2, 3, 4)], ()),
    "mm": (lambda m, x: torch.mm(x, m.w0), [f32(3, 4)], [(4, 5)]),
    "reshape_as": (lambda m, x: x.reshape_as(m.w0) + 1.0, [f32(3, 4)], [(2, 6)]),
    "new_empty_filled": (lambda m, x: x + x.new_empty((3, 4)).fill_(1.5), [f32(3, 4)], ()),
    "max_pool_with_indices": (pool_with_indices, [f32(2, 4, 6)], ()),
    "native_layer_norm": (lambda m, x: torch.native_layer_norm(x, [4], m.w0, m.w1, 1e-5)[0], [f32(2, 3, 4)],
                          [(4,), (4,)]),
    "aten_softmax_forms": (lambda m, x: torch._softmax(x, 1, False) + torch._log_softmax(x, 0, False),
                           [f32(3, 4)], ()),
    "aten_internal_views": (lambda m, x: torch.ops.aten._unsafe_view(x, [4, 3]) + torch.ops.aten.alias(x).t()
                            + torch.ops.aten._to_copy(x, dtype=torch.float32).t(), [f32(3, 4)], ()),
    "nll_loss_direct": (lambda m, x: torch._C._nn.nll_loss(torch.log_softmax(x, 1), m.w0.abs().long() % 4) + x.mean(),
                        [f32(3, 4)], [(3,)]),
    "empty_filled": (lambda m, x: x + torch.empty(3, 4).fill_(0.5), [f32(3, 4)], ()),
    "adaptive_avg_pool2d_aten": (lambda m, x: torch.ops.aten._adaptive_avg_pool2d(x, [2, 3]), [f32(1, 2, 4, 6)], ()),
}

SCRIPTED = {
    "scripted_conv1d": (1, (1, 2, 9)),
    "scripted_conv2d": (2, (1, 2, 7, 6)),
    "scripted_conv3d": (3, (1, 2, 5, 4, 4)),
}


def write(name, saved, inputs, result, outdir):
    save_scripted(saved, os.path.join(outdir, f"op_{name}.pt"))
    results = result if isinstance(result, tuple) else (result,)
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": d, "shape": list(s)} for n, (d, s) in inputs],
        "outputs": [{"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape)} for r in results],
        "fp16": False,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]

    def fresh(name):
        return up_to_date([os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")], sources)

    for name, (fn, inputs, buffers) in CASES.items():
        if fresh(name):
            continue
        torch.manual_seed(seed_for("op_" + name))
        module = Fn(fn, buffers).eval()
        gen = torch.Generator().manual_seed(seed_for(name))
        args = tuple(torch.rand(*s, generator=gen) if d == "float32" else torch.randint(0, 10, s, generator=gen)
                     for d, s in inputs)
        with torch.no_grad():
            traced = torch.jit.trace(module, args)
            result = module(*args)
        write(name, traced, [("x", i) for i in inputs], result, outdir)
    path = os.path.join(outdir, "err_max_pool_indices_used.pt")
    if not up_to_date([path], sources):
        with torch.no_grad():
            save_scripted(torch.jit.trace(PoolIndicesUsed().eval(), (torch.randn(1, 2, 4, 4),)), path)
    for name, (dims, shape) in SCRIPTED.items():
        if fresh(name):
            continue
        torch.manual_seed(seed_for("op_" + name))
        module = torch.jit.script(ScriptedConv(dims).eval())
        x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed_for(name)))
        with torch.no_grad():
            result = module(x)
        write(name, module, [("x", f32(*shape))], result, outdir)
