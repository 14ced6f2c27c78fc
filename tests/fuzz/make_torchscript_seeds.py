"""Writes the seed archives of fuzz_torchscript_import: four tiny TorchScript modules, each reaching a different
part of the import (traced convolution and linear with a tensor constant in constants.pkl; scripted control flow;
a buffer written in place, which becomes a state; a module saved in training mode with batch norm and dropout).
Run with Debian's /usr/bin/python3 (torch 1.13): make_torchscript_seeds.py OUTDIR"""
import os
import sys

import torch


class TracedConvLinear(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1)
        self.fc = torch.nn.Linear(2, 3)

    def forward(self, x):
        y = torch.relu(self.conv(x)).mean(dim=(2, 3)) + torch.tensor([0.25, -0.5])  # traced: in constants.pkl
        return torch.softmax(self.fc(y), dim=1)


class ScriptedBranch(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.full((3,), 0.5))

    def forward(self, x: torch.Tensor, n: int = 2) -> torch.Tensor:
        offset = torch.tensor([1.0, -2.0, 3.0])
        for _ in range(n):
            x = x * self.scale + offset
        if x.sum() > 0:
            x = torch.tanh(x)
        return x.view(-1, 3)


class RunningSum(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("total", torch.zeros(2))

    def forward(self, x):
        self.total.add_(x.sum(dim=0))
        return x - self.total


class TrainingMode(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = torch.nn.BatchNorm1d(2)
        self.drop = torch.nn.Dropout(0.25)

    def forward(self, x):
        return self.drop(self.norm(x)).clamp(min=-1.0)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)
    torch.jit.trace(TracedConvLinear().eval(), torch.rand(1, 1, 3, 3)).save(os.path.join(outdir, "traced.pt"))
    torch.jit.script(ScriptedBranch().eval()).save(os.path.join(outdir, "scripted.pt"))
    torch.jit.script(RunningSum().eval()).save(os.path.join(outdir, "state.pt"))
    torch.jit.script(TrainingMode()).save(os.path.join(outdir, "training.pt"))  # left in training mode


if __name__ == "__main__":
    main(sys.argv[1])
