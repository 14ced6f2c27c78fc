"""Op fixtures whose op arguments come from the input's shape: libtorch's constant propagation at
import cannot fold them (graph inputs carry no shapes there), so the op reaches its translator, where
the fixed input shapes make the arguments known. Fixtures that build such ops from literals only test
libtorch's folding, not the translator (coverage.test_op_coverage counts the ops of the frozen graph).

aten::full, aten::linspace, aten::hann_window, aten::nonzero / nonzero_numpy and aten::_unique2 of
conversion-time tensors, and aten::append in a loop whose trip count is a dimension (unrolled at
conversion). Compared with libtorch by lower.test_op_numerics.
"""
import os
from typing import List

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def full_of_size(x):
    return x + torch.full((x.shape[0], 1), 2.5)


def linspace_of_size(x):
    return x * torch.linspace(-1.0, 2.0, x.shape[-1])


def hann_of_size(x):
    return x * torch.hann_window(x.shape[-1]) + torch.hann_window(x.shape[-1], periodic=False)


def nonzero_of_shape(x):
    # The positions of a conversion-time mask built from the shape (a rectangular identity).
    mask = torch.eye(x.shape[0], x.shape[1])
    picked = torch.nonzero(mask)
    rows, cols = torch.nonzero(mask, as_tuple=True)
    return x[rows, cols] * 2.0 + picked.sum().float()


def unique_of_shape(x):
    # Conversion-time tensors from the shape: one value repeated per row, and the row indices.
    values, inverse, counts = torch.unique(torch.zeros(x.shape[0]), return_inverse=True, return_counts=True)
    rows = torch.unique(torch.arange(x.shape[0]), sorted=True)
    return x.index_select(0, rows) * counts.float() + values.sum() + inverse.float().unsqueeze(1)


class AppendPerRow(nn.Module):
    """A list grown once per row: the trip count is a dimension, known only once shapes are."""

    def forward(self, x):
        outs: List[torch.Tensor] = []
        for i in range(x.size(0)):
            outs.append(torch.tanh(x[i]) * float(i + 1))
        return torch.stack(outs, 0)


# name -> (module factory, input shape, scripted)
FIXTURES = {
    "full_of_size": (lambda: Fn(full_of_size), (3, 4), False),
    "linspace_of_size": (lambda: Fn(linspace_of_size), (2, 5), False),
    "hann_window_of_size": (lambda: Fn(hann_of_size), (3, 8), False),
    "nonzero_of_shape": (lambda: Fn(nonzero_of_shape), (4, 3), False),
    "unique_of_shape": (lambda: Fn(unique_of_shape), (5, 3), False),
    "append_per_row": (lambda: AppendPerRow(), (3, 4), True),
}


def build(name, factory, shape, scripted, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = factory().eval()
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed_for(name)))
    with torch.no_grad():
        saved = torch.jit.script(module) if scripted else torch.jit.trace(module, (x,))
        result = module(x)
    save_scripted(saved, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": "x", "dtype": "float32", "shape": list(shape)}],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": False,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (factory, shape, scripted) in FIXTURES.items():
        if not up_to_date([os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")], sources):
            build(name, factory, shape, scripted, outdir)
