"""One tiny TorchScript model per shape/tensor/reduction/prim op, for the lowering tests.

For each case NAME: op_NAME.pt (traced with fixed input shapes, or scripted where tracing would
fold the op away) and op_NAME.json with the input names/shapes/dtypes and the shape and dtype
libtorch produces for every output tensor (tuples flattened in order).
"""
import os

import torch
import torchvision
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Unary(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Binary(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x, y):
        return self.fn(x, y)


class DropoutBlock(nn.Module):
    """Eval-mode identities around a transpose: dropout variants, contiguous, detach."""

    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.3)
        self.drop2d = nn.Dropout2d(0.3)
        self.alpha = nn.AlphaDropout(0.3)

    def forward(self, x):
        y = self.drop(x).transpose(1, 2).contiguous()
        return self.alpha(self.drop2d(y)).detach()


class StochasticDepthBlock(nn.Module):
    """As in ConvNeXt/EfficientNet blocks: branch -> stochastic depth; identity in eval."""

    def __init__(self):
        super().__init__()
        self.sd = torchvision.ops.StochasticDepth(0.2, "row")

    def forward(self, x):
        return self.sd(x.permute(0, 2, 3, 1))


class ScriptedShapeMath(nn.Module):
    """Scripted, so aten::size/dim/len/__getitem__ and int arithmetic stay in the graph."""

    def forward(self, x):
        n = x.size(1) // 2
        dims = x.dim()
        rows = len(x.shape)
        shape = x.size()
        return x.narrow(1, 0, n).reshape(-1, shape[0] * (dims + rows - 3))


def channel_shuffle(x):
    return torchvision.models.shufflenetv2.channel_shuffle(x, 2)


def f32(*shape):
    return ("float32", shape)


# name -> (module or function, [(input name, dtype, shape)], scripted?)
CASES = {
    "flatten": (lambda x: torch.flatten(x, 1), [("x", f32(2, 3, 4, 5))]),
    "flatten_mid": (lambda x: torch.flatten(x, 1, 2), [("x", f32(2, 3, 4, 5))]),
    "view": (lambda x: x.view(2, -1), [("x", f32(2, 3, 4))]),
    "view_size": (lambda x: x.view(x.size(0), -1), [("x", f32(2, 3, 4))]),
    "reshape": (lambda x: x.reshape(-1, 5), [("x", f32(2, 3, 5))]),
    "permute": (lambda x: x.permute(0, 2, 3, 1), [("x", f32(1, 3, 4, 5))]),
    "transpose": (lambda x: x.transpose(1, 3), [("x", f32(1, 3, 4, 5))]),
    "t": (lambda x: x.t(), [("x", f32(3, 5))]),
    "dropout_identities": (DropoutBlock(), [("x", f32(1, 3, 4, 5))]),
    "stochastic_depth": (StochasticDepthBlock(), [("x", f32(1, 3, 4, 5))]),
    "clone": (lambda x: x.clone().transpose(0, 1), [("x", f32(2, 3))]),
    "to_int": (lambda x: x.to(torch.int32), [("x", f32(2, 3))]),
    "to_long": (lambda x: x.long(), [("x", f32(2, 3))]),
    "type_as": (lambda x, y: y.type_as(x).transpose(0, 1), [("x", f32(2, 3)), ("y", ("int32", (2, 3)))]),
    "unsqueeze": (lambda x: x.unsqueeze(1).unsqueeze(-1), [("x", f32(2, 3))]),
    "squeeze_all": (lambda x: x.squeeze(), [("x", f32(1, 3, 1, 5))]),
    "squeeze_dim": (lambda x: x.squeeze(2), [("x", f32(1, 3, 1, 5))]),
    "squeeze_noop": (lambda x: x.squeeze(1).transpose(0, 1), [("x", f32(2, 3))]),
    "expand": (lambda x: x.expand(2, 3, 4), [("x", f32(3, 1))]),
    "expand_as": (lambda x, y: x.expand_as(y), [("x", f32(1, 4)), ("y", f32(3, 4))]),
    "repeat": (lambda x: x.repeat(2, 1, 3), [("x", f32(3, 4))]),
    "cat": (lambda x, y: torch.cat([x, y], 1), [("x", f32(2, 3)), ("y", f32(2, 5))]),
    "cat_negative_dim": (lambda x, y: torch.cat((x, y), -1), [("x", f32(2, 3)), ("y", f32(2, 5))]),
    "stack": (lambda x, y: torch.stack([x, y], 1), [("x", f32(2, 3)), ("y", f32(2, 3))]),
    "chunk": (lambda x: x.chunk(3, dim=1), [("x", f32(2, 7))]),
    "split": (lambda x: x.split(2, dim=1), [("x", f32(2, 5))]),
    "split_with_sizes": (lambda x: x.split([1, 3], dim=1), [("x", f32(2, 4))]),
    "unbind": (lambda x: x.unbind(1), [("x", f32(2, 3, 4))]),
    "slice": (lambda x: x[:, 1:3], [("x", f32(2, 5))]),
    "slice_step": (lambda x: x[:, ::2], [("x", f32(2, 5))]),
    "slice_negative": (lambda x: x[:, -2:], [("x", f32(2, 5))]),
    "slice_open_end": (lambda x: x[..., 1:], [("x", f32(2, 3, 5))]),
    "slice_both_negative": (lambda x: x[:, 1:-1], [("x", f32(2, 5))]),
    "slice_full": (lambda x: x[:, 0:].transpose(0, 1), [("x", f32(2, 5))]),
    "select": (lambda x: x[:, 1], [("x", f32(2, 5, 3))]),
    "select_negative": (lambda x: x[:, -1], [("x", f32(2, 5, 3))]),
    "index_select": (lambda x: torch.index_select(x, 1, torch.tensor([0, 2])), [("x", f32(2, 5))]),
    "narrow": (lambda x: x.narrow(1, 1, 2), [("x", f32(2, 5))]),
    "mean": (lambda x: x.mean(dim=(2, 3), keepdim=True), [("x", f32(1, 3, 4, 5))]),
    "mean_one_dim": (lambda x: x.mean([1]), [("x", f32(1, 3, 4))]),
    "sum": (lambda x: x.sum(dim=-1), [("x", f32(2, 3, 4))]),
    "sum_all": (lambda x: x.sum(), [("x", f32(2, 3))]),
    "amax": (lambda x: torch.amax(x, dim=(0, 2)), [("x", f32(2, 3, 4))]),
    "amin": (lambda x: torch.amin(x, dim=1, keepdim=True), [("x", f32(2, 3, 4))]),
    "max_dim": (lambda x: torch.max(x, dim=1), [("x", f32(2, 3, 4))]),
    "min_dim": (lambda x: torch.min(x, dim=2, keepdim=True), [("x", f32(2, 3, 4))]),
    "argmax": (lambda x: torch.argmax(x, dim=1), [("x", f32(2, 3, 4))]),
    "argmax_flat": (lambda x: torch.argmax(x), [("x", f32(2, 3, 4))]),
    "prod": (lambda x: torch.prod(x, 1), [("x", f32(2, 3, 4))]),
    "softmax": (lambda x: torch.softmax(x, dim=1), [("x", f32(2, 3, 4))]),
    "log_softmax": (lambda x: torch.log_softmax(x, dim=-1), [("x", f32(2, 3, 4))]),
    "channel_shuffle": (channel_shuffle, [("x", f32(1, 8, 4, 4))]),
    "zeros_cat": (lambda x: torch.cat([x, torch.zeros(2, 3)], 0), [("x", f32(2, 3))]),
    "ones_large_cat": (lambda x: torch.cat([x, torch.ones(2, 3, 8, 8)], 1), [("x", f32(2, 3, 8, 8))]),
    "full_cat": (lambda x: torch.cat([x, torch.full((1, 3), 2.5)], 0), [("x", f32(2, 3))]),
    "zeros_like_stack": (lambda x: torch.stack([x, torch.zeros_like(x)]), [("x", f32(2, 3))]),
    "arange_index": (lambda x: x.index_select(1, torch.arange(0, 4, 2)), [("x", f32(2, 5))]),
    "scripted_shape_math": (ScriptedShapeMath(), [("x", f32(2, 4, 3))]),
}
SCRIPTED = {"scripted_shape_math"}

TORCH_DTYPES = {"float32": torch.float32, "int32": torch.int32}


def flat_outputs(result):
    if isinstance(result, (tuple, list)):
        out = []
        for r in result:
            out.extend(flat_outputs(r))
        return out
    return [result]


def build(name, fn, inputs, outdir):
    module = fn if isinstance(fn, nn.Module) else (Unary(fn) if len(inputs) == 1 else Binary(fn))
    module.eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = []
    for _, (dtype, shape) in inputs:
        t = torch.randn(*shape, generator=gen)
        args.append(t.to(TORCH_DTYPES[dtype]) * (10 if dtype != "float32" else 1))
    with torch.no_grad():
        if name in SCRIPTED:
            saved = torch.jit.script(module)
        else:
            saved = torch.jit.trace(module, tuple(args))
        result = module(*args)
    save_scripted(saved, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape)} for r in flat_outputs(result)],
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (fn, inputs) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, outdir)
