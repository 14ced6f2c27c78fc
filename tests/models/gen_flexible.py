"""Models for flexible input shapes (issue 7), traced at one shape and converted with the others
symbolic; tests/e2e/test_flexible_shapes.cpp compares them with libtorch at several shapes.

flex_cnn.pt: a small residual CNN (conv, batch norm, relu, max pool, add, nearest upsampling by 2,
  average pool, global average pool, flatten, linear) on x: 1x3xHxW, H and W even.
flex_transformer.pt: a one-block pre-norm transformer on x: 1xSx32 (S <= 64): a learned position
  table sliced to S, layer norm, per-head attention written with view/transpose/matmul from
  x.size(), a causal mask built from S, softmax, a GELU feed-forward, and a final linear.
flex_tokens.pt: an embedding of int tokens 1xS summed over the sequence by a linear.
flex_pair.pt: cross attention of x: 1xSx16 over a memory m: 1xTx16 (two flexible inputs).
"""
import math
import os

import torch
from torch import nn
from torch.nn import functional as F

from fixture_io import seed_for, up_to_date, save_scripted


class FlexCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.branch = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                                    nn.Conv2d(8, 8, 3, padding=1))
        self.pool = nn.MaxPool2d(2)
        self.mix = nn.Conv2d(16, 12, 3, padding=1, stride=2)
        self.head = nn.Linear(12, 10)

    def forward(self, x):
        y = self.stem(x)
        y = F.relu(y + self.branch(y))
        down = self.pool(y)
        up = F.interpolate(down, scale_factor=2.0, mode="nearest")
        z = self.mix(torch.cat([y, up], dim=1))
        z = F.avg_pool2d(z, 2, ceil_mode=True)
        z = F.adaptive_avg_pool2d(z, 1)
        return self.head(torch.flatten(z, 1))


class FlexBlock(nn.Module):
    def __init__(self, width=32, heads=4, max_len=64):
        super().__init__()
        self.heads = heads
        self.scale = 1.0 / math.sqrt(width // heads)
        self.pos = nn.Parameter(torch.randn(max_len, width) * 0.1)
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width)
        self.ff = nn.Sequential(nn.Linear(width, 64), nn.GELU(), nn.Linear(64, width))
        self.out = nn.Linear(width, 8)

    def forward(self, x):
        b, s, e = x.size()
        h = x + self.pos[:s]
        q, k, v = self.qkv(self.norm1(h)).chunk(3, dim=-1)
        d = e // self.heads
        q = q.view(b, s, self.heads, d).transpose(1, 2)
        k = k.view(b, s, self.heads, d).transpose(1, 2)
        v = v.view(b, -1, self.heads, d).permute(0, 2, 1, 3)
        scores = torch.matmul(q, k.transpose(-2, -1)) * self.scale
        causal = torch.ones(s, s).triu(1).bool()
        scores = scores.masked_fill(causal, float("-inf"))
        att = torch.matmul(F.softmax(scores, dim=-1), v)
        att = att.transpose(1, 2).reshape(b, s, -1)
        h = h + self.proj(att)
        h = h + self.ff(self.norm2(h))
        return self.out(h)


class FlexTokens(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 16)
        self.out = nn.Linear(16, 4)

    def forward(self, tokens):
        e = self.embed(tokens)
        return self.out(e.mean(dim=1)) + e[:, -1, :4]


class FlexPair(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(16, 16)
        self.kv = nn.Linear(16, 32)

    def forward(self, x, m):
        k, v = self.kv(m).chunk(2, dim=-1)
        att = F.softmax(torch.matmul(self.q(x), k.transpose(1, 2)) * 0.25, dim=-1)
        return torch.matmul(att, v) + x


def _save(outdir, name, model, example):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    pt = os.path.join(outdir, name + ".pt")
    if up_to_date([pt], sources):
        return
    torch.manual_seed(seed_for(name))
    m = model().eval()
    for mod in m.modules():  # calibrated-looking batch norms instead of the identity of a fresh one
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.2, 0.2)
            mod.running_var.uniform_(0.5, 1.5)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.2, 0.2)
    with torch.no_grad():
        traced = torch.jit.trace(m, example, check_trace=False)
    save_scripted(traced, pt)


def generate(outdir):
    _save(outdir, "flex_cnn", FlexCnn, torch.randn(1, 3, 64, 64))
    _save(outdir, "flex_transformer", FlexBlock, torch.randn(1, 17, 32))
    _save(outdir, "flex_tokens", FlexTokens, torch.randint(0, 100, (1, 9)))
    _save(outdir, "flex_pair", FlexPair, (torch.randn(1, 4, 16), torch.randn(1, 6, 16)))
