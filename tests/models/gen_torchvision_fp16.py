"""PyTorch's own fp16 emulation of the torchvision fixtures, the yardstick for fp16 conversions.

For each tv_NAME.pt written by gen_torchvision: tv_NAME.fp16.json with the SNR (dB) of the model's
output when every floating-point tensor entering or leaving every ATen op is rounded to fp16
(weights included, batch norm folded into the convolutions in fp32 by torch.jit.freeze first),
computed in fp32 otherwise, against the plain fp32 output, on tv_NAME.input.npy. That is the most
favourable fp16 arithmetic a device can do (fp32 accumulation, one rounding per op), so a
converted fp16 package cannot be expected to do better than this on these random-weight models.
"""
import json
import os

import numpy as np
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from fixture_io import up_to_date, write_json
from gen_torchvision import MODELS


def rounded(t):
    return t.half().float() if isinstance(t, torch.Tensor) and t.dtype == torch.float32 else t


class RoundToFp16(TorchDispatchMode):
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        # In place, so in-place ops (relu_, add_) still write into their operand.
        for a in args:
            if isinstance(a, torch.Tensor) and a.dtype == torch.float32:
                a.copy_(rounded(a))
        out = func(*args, **(kwargs or {}))
        if isinstance(out, (tuple, list)):
            return type(out)(rounded(o) for o in out)
        return rounded(out)


def snr_db(actual, expected):
    a, e = actual.double(), expected.double()
    return float(10.0 * torch.log10((e * e).sum() / ((a - e) ** 2).sum()))


def generate(outdir):
    sources = [os.path.abspath(__file__), os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixture_io.py")]
    for name in MODELS:
        stem = os.path.join(outdir, f"tv_{name}")
        inputs = [stem + ".pt", stem + ".input.npy"]
        if not all(os.path.exists(p) for p in inputs):
            continue  # gen_torchvision failed for it and says so
        if up_to_date([stem + ".fp16.json"], sources + inputs):
            continue
        x = torch.from_numpy(np.load(stem + ".input.npy"))
        with torch.no_grad():
            model = torch.jit.freeze(torch.jit.load(stem + ".pt").eval())
            expected = model(x)
            with RoundToFp16():
                actual = model(x.clone())
        write_json(stem + ".fp16.json", {
            "model": f"tv_{name}.pt",
            "input_npy": f"tv_{name}.input.npy",
            "emulation": "every fp32 tensor into and out of every ATen op rounded to fp16; batch norm folded in fp32",
            "snr_db": snr_db(actual, expected),
        })
