"""Fixtures for the module outline read straight from the archive (core/frontends/torchscript/archive_outline.h).

outline_head_transformer.pt  bench/gen_graph_models.py's per-head transformer at 3 layers x 3 heads: getattr on a
                             ModuleList, a parameter and a buffer read by the root, torch.add with its default alpha
outline_scripted_calls.pt    a scripted root: its own method called, a tuple unpacked, keyword arguments, a list
                             literal, int(), float and int attributes (debug records with real source lines)
outline_hostile_*.pt         outline_head_transformer.pt with one entry replaced (a valid zip, hostile content):
                             the outline must fall back to libtorch's load or fail cleanly, never crash or run anything
"""
import os
import sys
import zipfile

import torch
from torch import nn

from fixture_io import save_scripted, seed_for, up_to_date, write_atomically

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from gen_graph_models import Transformer  # noqa: E402  (the bench model, smaller)


class Pair(nn.Module):
    def forward(self, x):
        return x * 2, x + 1


class ScriptedCalls(nn.Module):
    def __init__(self):
        super().__init__()
        self.pair = Pair()
        self.fc = nn.Linear(4, 4)
        self.scale = 0.5
        self.steps = 3

    def helper(self, x):
        return self.fc(x)

    def forward(self, x):
        a, b = self.pair(x)
        y = self.helper(a)
        z = torch.cat([y, b], dim=1)
        n = int(z.size(0))
        return torch.reshape(z, [n, -1]) * self.scale + self.steps


# The transformer's classes are defined in bench/gen_graph_models.py, so its root class is serialized here.
ROOT_CODE = "code/__torch__/gen_graph_models.py"


# Raw pickle opcodes (protocol 2), for data.pkl contents torch would never write.
def _global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


HOSTILE_PICKLES = {
    # os.system("...") as the root object: a reader that resolves globals would run it.
    "exec": b"\x80\x02" + _global("os", "system") + b"X\x1f\x00\x00\x00touch /tmp/cms_outline_pwned.txt\x85R.",
    "truncated": None,  # data.pkl cut in half (filled in below)
    # A list appended to itself, then the root.
    "cycle": b"\x80\x02]q\x00h\x00a.",
    # 5,000 nested lists: deeper than the reader follows.
    "deep": b"\x80\x02" + b"(" * 5000 + b"]" + b"l" * 5000 + b".",
    # 200,000 levels: deep enough to overflow libtorch's recursive unpickler, so the importer must refuse it
    # before libtorch's load runs.
    "very_deep": b"\x80\x02" + b"(" * 200000 + b"]" + b"l" * 200000 + b".",
    # A string declaring 2 GB.
    "long_string": b"\x80\x02X\x00\x00\x00\x80abc.",
}


def _rewrite(source, target, replace):
    """Copies the zip at source to target, each entry passed through replace(inner_name, bytes) (None drops it)."""
    def write(tmp):
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                inner = info.filename.split("/", 1)[1]
                data = replace(inner, zin.read(info))
                if data is not None:
                    zout.writestr(info.filename, data)
    write_atomically(target, write)


def generate(outdir):
    sources = [__file__, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                      "gen_graph_models.py")]
    transformer = os.path.join(outdir, "outline_head_transformer.pt")
    if not up_to_date([transformer], sources):
        torch.manual_seed(seed_for("outline_head_transformer"))
        model = Transformer(layers=3, dim=24, heads=3, vocab=50, tokens=8).eval()
        with torch.no_grad():
            traced = torch.jit.trace(model, torch.randint(0, 50, (1, 8)))
        save_scripted(traced, transformer)
    scripted = os.path.join(outdir, "outline_scripted_calls.pt")
    if not up_to_date([scripted], sources):
        torch.manual_seed(seed_for("outline_scripted_calls"))
        save_scripted(torch.jit.script(ScriptedCalls().eval()), scripted)

    hostile = {"pickle_" + k: v for k, v in HOSTILE_PICKLES.items()}
    with zipfile.ZipFile(transformer) as z:
        data_pkl = z.read(next(n for n in z.namelist() if n.endswith("/data.pkl")))
        root_code = z.read(next(n for n in z.namelist() if n.endswith("/" + ROOT_CODE)))
    hostile["pickle_truncated"] = data_pkl[: len(data_pkl) // 2]
    variants = {name: {"data.pkl": data} for name, data in hostile.items()}
    # Valid TorchScript outside the outline's subset: libtorch loads it, so the outline must come from libtorch.
    branch = b"    if torch.eq(1, 1):\n      pass\n    else:\n      pass\n"
    variants["code_control_flow"] = {ROOT_CODE: root_code.replace(b"    head = self.head\n",
                                                                  b"    head = self.head\n" + branch)}
    variants["code_garbage"] = {ROOT_CODE: bytes(range(256)) * 64}
    variants["code_unbalanced"] = {ROOT_CODE: root_code.replace(b"return (head).forward(",
                                                                b"return ((((head).forward(")}
    variants["debug_missing"] = {ROOT_CODE + ".debug_pkl": None}
    # A storage shorter than its tensor, with a valid checksum.
    variants["storage_short"] = {"data/0": b"\x00" * 12}
    for name, replacements in variants.items():
        target = os.path.join(outdir, "outline_hostile_" + name + ".pt")
        if up_to_date([target], sources + [transformer]):
            continue
        _rewrite(transformer, target, lambda inner, data: replacements.get(inner, data) if inner in replacements
                 else data)
