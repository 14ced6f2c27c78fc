"""Fixture for the unsupported-op report's failure path (tests/cli/unsupported_report.sh).

report_training_unsupported.pt: a convolution followed by aten::erfinv (no translator), saved with its
modules still in training mode, so the import warns once; the report must reuse that import.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, save_scripted


class ConvErfinv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return torch.erfinv(torch.tanh(self.conv(x)))


def generate(outdir):
    here = os.path.abspath(__file__)
    path = os.path.join(outdir, "report_training_unsupported.pt")
    if up_to_date([path], [here, os.path.join(os.path.dirname(here), "fixture_io.py")]):
        return
    torch.manual_seed(seed_for("report_training_unsupported"))
    with torch.no_grad():
        traced = torch.jit.trace(ConvErfinv().eval(), (torch.randn(1, 3, 8, 8),))
    traced.train()  # saved as a training-mode module: its import warns
    save_scripted(traced, path)
