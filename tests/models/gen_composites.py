"""Fixtures for composite operators and the unsupported-op report (tests/lower/test_composites.cpp,
tests/cli/composites.sh).

comp_NAME.pt + comp_NAME.json ({inputs: [{name, dtype, shape}], composites: [file under
tests/data/composites or builtin:NAME]}): one op each, converted with the composites named and
compared with libtorch. comp_unsupported.pt: two ops the converter cannot convert, each used in
several modules, for the report.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Fn2(Fn):
    def forward(self, x, y):
        return self.fn(x, y)


def fake_quantize(x):
    q = torch.quantize_per_tensor(x, 0.05, 3, torch.quint8)
    s = torch.quantize_per_tensor(x * 2.0, 0.1, 0, torch.qint8)
    return q.dequantize() + s.dequantize()


# name: (function, input shapes, composite files ([] = the built-ins only))
CASES = {
    "hardshrink": (lambda x: F.hardshrink(x, 0.3), [(2, 3, 8)], []),
    "softshrink": (lambda x: F.softshrink(x, 0.4), [(2, 3, 8)], []),
    "celu": (lambda x: F.celu(x, alpha=0.7), [(2, 3, 8)], []),
    "logaddexp": (lambda x, y: torch.logaddexp(x * 30.0, y), [(2, 3, 8), (3, 1)], []),
    # Ops with a built-in translator: the user composite overrides it and must still match torch.
    "selu": (lambda x: F.selu(x), [(2, 3, 8)], ["selu.yaml"]),
    "mish": (lambda x: F.mish(x * 4.0), [(2, 3, 8)], ["mish.yaml"]),
    "fake_quantize": (fake_quantize, [(2, 3, 8)], ["builtin:fake-quantize"]),
}


class Block(nn.Module):
    def forward(self, x):
        q = torch.quantize_per_tensor(x, 0.1, 0, torch.quint8)
        return torch.erfinv(torch.tanh(q.dequantize()))


class Unsupported(nn.Module):
    """aten::erfinv x3 and aten::quantize_per_tensor / aten::dequantize x3, in three submodules."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, padding=1)
        self.blocks = nn.ModuleList([Block(), Block(), Block()])

    def forward(self, x):
        y = self.stem(x)
        for b in self.blocks:
            y = y + b(y)
        return y


def build(name, fn, shapes, composites, outdir):
    torch.manual_seed(seed_for("comp_" + name))
    module = (Fn if len(shapes) == 1 else Fn2)(fn).eval()
    args = [torch.randn(*s) for s in shapes]
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(args))
    save_scripted(traced, os.path.join(outdir, f"comp_{name}.pt"))
    names = ["x", "y"][: len(shapes)]
    write_json(os.path.join(outdir, f"comp_{name}.json"), {
        "inputs": [{"name": n, "dtype": "float32", "shape": list(s)} for n, s in zip(names, shapes)],
        "composites": composites,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (fn, shapes, composites) in CASES.items():
        files = [os.path.join(outdir, f"comp_{name}.{ext}") for ext in ("pt", "json")]
        if not up_to_date(files, sources):
            build(name, fn, shapes, composites, outdir)
    path = os.path.join(outdir, "comp_unsupported.pt")
    if not up_to_date([path], sources):
        torch.manual_seed(seed_for("comp_unsupported"))
        with torch.no_grad():
            traced = torch.jit.trace(Unsupported().eval(), (torch.randn(1, 3, 8, 8),))
        save_scripted(traced, path)
