"""Models with hostile content for tests/hostile (the broken archives are derived from these at test time).

hostile_nan_weights.pt      a linear layer whose weight holds NaN and +/-inf (converts, with a warning)
hostile_keyword_names.pt    inputs, a submodule and an output named like MIL keywords (const, tensor, function)
hostile_huge_constant.pt    builds a 4e14-element constant from literal sizes (must fail cleanly, not allocate)
hostile_big_weights.pt      64 MiB of weights, for the early memory check under a lowered memory limit
hostile_prints.pt           scripted forward() that prints a marker line each time libtorch runs it: shows whether
                            a command ran the model's own code (verify --no-reference must not)
hostile_setstate.pt         a submodule whose scripted __setstate__ prints the marker: libtorch runs it while
                            loading the archive, so --no-reference must refuse the file before loading it
"""
import os
from typing import Tuple

import torch
from torch import nn

from fixture_io import save_scripted, seed_for, up_to_date


class NanWeights(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        with torch.no_grad():
            self.fc.weight[0, 0] = float("nan")
            self.fc.weight[1, 2] = float("inf")
            self.fc.weight[2, 3] = float("-inf")

    def forward(self, x):
        return self.fc(x)


class KeywordNames(nn.Module):
    def __init__(self):
        super().__init__()
        self.function = nn.Linear(3, 3)

    def forward(self, const, tensor):
        main = self.function(const) + tensor
        return main


class HugeConstant(nn.Module):
    def forward(self, x):
        return x + torch.ones([20000, 20000, 1000000]).sum()


class BigWeights(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4096, 4096, bias=False)

    def forward(self, x):
        return self.fc(x)


class PrintsWhenRun(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 5)

    def forward(self, x):
        print("CMS-MODEL-CODE-RAN")
        return self.fc(torch.relu(self.conv(x)).flatten(1))


class SetStatePrints(nn.Module):
    """Saved through __getstate__; libtorch calls __setstate__ (and so prints) when it loads the archive."""

    def __init__(self):
        super().__init__()
        self.weight = torch.rand(4, 3)

    @torch.jit.export
    def __getstate__(self) -> Tuple[torch.Tensor, bool]:
        return (self.weight, self.training)

    @torch.jit.export
    def __setstate__(self, state: Tuple[torch.Tensor, bool]) -> None:
        print("CMS-MODEL-CODE-RAN")
        self.weight = state[0]
        self.training = state[1]

    def forward(self, x):
        return x @ self.weight


class LoadsWithSetState(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = SetStatePrints()

    def forward(self, x):
        return torch.relu(self.inner(x))


def generate(outdir):
    sources = [os.path.abspath(__file__)]

    def path(name):
        return os.path.join(outdir, name)

    def stale(name):
        return not up_to_date([path(name)], sources)

    if stale("hostile_nan_weights.pt"):
        torch.manual_seed(seed_for("hostile_nan_weights"))
        save_scripted(torch.jit.trace(NanWeights().eval(), torch.rand(1, 4)), path("hostile_nan_weights.pt"))
    if stale("hostile_keyword_names.pt"):
        torch.manual_seed(seed_for("hostile_keyword_names"))
        save_scripted(torch.jit.script(KeywordNames().eval()), path("hostile_keyword_names.pt"))
    if stale("hostile_huge_constant.pt"):
        save_scripted(torch.jit.script(HugeConstant().eval()), path("hostile_huge_constant.pt"))
    if stale("hostile_big_weights.pt"):
        torch.manual_seed(seed_for("hostile_big_weights"))
        save_scripted(torch.jit.trace(BigWeights().eval(), torch.rand(1, 4096)), path("hostile_big_weights.pt"))
    if stale("hostile_prints.pt"):
        torch.manual_seed(seed_for("hostile_prints"))
        save_scripted(torch.jit.script(PrintsWhenRun().eval()), path("hostile_prints.pt"))
    if stale("hostile_setstate.pt"):
        torch.manual_seed(seed_for("hostile_setstate"))
        save_scripted(torch.jit.script(LoadsWithSetState().eval()), path("hostile_setstate.pt"))
