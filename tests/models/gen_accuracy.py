"""Fixtures for the accuracy report.

fp16_overflow.pt   a small MLP whose middle block ("amplify": a linear with large weights, then a
                   scale by 1e-3) produces activations of ~1e5, beyond fp16's 65504: converted in
                   fp16 it overflows to inf, kept in fp32 it is accurate. Input x: 1x16.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, save_scripted


class Amplify(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)
        with torch.no_grad():
            self.fc.weight.mul_(200000.0)

    def forward(self, x):
        return self.fc(x) * 1e-3


class Overflow(nn.Module):
    def __init__(self):
        super().__init__()
        self.pre = nn.Linear(16, 16)
        self.amplify = Amplify()
        self.post = nn.Linear(16, 8)

    def forward(self, x):
        return self.post(torch.relu(self.amplify(torch.tanh(self.pre(x)) * 4.0)))


def generate(outdir):
    path = os.path.join(outdir, "fp16_overflow.pt")
    if up_to_date([path], [os.path.abspath(__file__)]):
        return
    torch.manual_seed(seed_for("fp16_overflow"))
    model = Overflow().eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(1, 16), check_trace=False)
    save_scripted(traced, path)
