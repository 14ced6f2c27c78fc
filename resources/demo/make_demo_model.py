#!/usr/bin/python3
"""Writes the bundled demo model: a small ResNet-style image classifier, traced to TorchScript.

Random weights (seeded) and randomised batch-norm statistics, so every layer does real work and
conversions of it can be checked numerically. Input 1x3x224x224, 10 class scores out.
Usage: make_demo_model.py OUT.pt
"""
import sys

import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class DemoCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2, padding=1))
        self.block1 = BasicBlock(16, 32, stride=2)
        self.block2 = BasicBlock(32, 64, stride=2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, image):
        x = self.block2(self.block1(self.stem(image)))
        return self.classifier(torch.flatten(self.pool(x), 1))


def randomise_batch_norm(model, generator):
    """Non-trivial inference statistics, so batch norm is not an identity and its fusion is tested."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_((torch.rand(n, generator=generator) - 0.5) * 0.4)
            m.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            m.bias.data.copy_((torch.rand(n, generator=generator) - 0.5) * 0.4)


def build_demo_model(seed=20240501):
    """The traced demo model, identical for the same seed."""
    torch.manual_seed(seed)
    model = DemoCNN()
    with torch.no_grad():
        randomise_batch_norm(model, torch.Generator().manual_seed(seed + 1))
    model.eval()
    example = torch.rand(1, 3, 224, 224, generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        return torch.jit.trace(model, example)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_demo_model.py OUT.pt")
    out = sys.argv[1]
    tmp = out + ".part"
    build_demo_model().save(tmp)
    import os
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
