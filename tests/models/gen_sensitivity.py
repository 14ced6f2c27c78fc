"""Fixture for the compression sensitivity tests.

sens_fragile.pt   a 4-layer MLP on x [8, 64] whose second layer ("fragile") is deliberately hard to
                  compress: each row holds one large outlier (|w| 50-500) in the column of a unit
                  that never fires (fc1's unit 0 has zero weights and bias -10, so relu keeps it at
                  0). The outliers do not change the output, but they set every per-channel
                  quantization scale and draw k-means' table entries away from the small weights
                  that do. The other layers are ordinary, so this layer must rank as most sensitive.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, save_scripted


class FragileMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fragile = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 128)
        self.fc4 = nn.Linear(128, 32)
        with torch.no_grad():
            self.fc1.weight[0].zero_()
            self.fc1.bias[0] = -10.0
            magnitude = torch.rand(128) * 450 + 50
            sign = torch.where(torch.rand(128) < 0.5, -1.0, 1.0)
            self.fragile.weight[:, 0] = magnitude * sign

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h = torch.relu(self.fragile(h))
        h = torch.relu(self.fc3(h))
        return self.fc4(h)


def generate(outdir):
    out = os.path.join(outdir, "sens_fragile.pt")
    if up_to_date([out], [os.path.abspath(__file__), os.path.join(os.path.dirname(__file__), "fixture_io.py")]):
        return
    torch.manual_seed(seed_for("sens_fragile"))
    model = FragileMlp().eval()
    save_scripted(torch.jit.trace(model, torch.randn(8, 64)), out)
