"""A ~355M-parameter decoder-style transformer with random weights, for the compression benchmark
(run with /usr/bin/python3, which has torch):

    /usr/bin/python3 bench/gen_transformer_350m.py OUT.pt

GPT-2-medium's shape: 24 layers of width 1024 (16 heads, MLP 4096) over a 50,304-token
embedding that the output projection shares, traced on 64 token ids. The weights are drawn as
such models are initialised (normal, std 0.02), so k-means sees realistic bell-shaped values.
An existing file is kept.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-2, -1)) * (d // self.heads) ** -0.5 + mask
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x, mask):
        x = x + self.attn(self.norm1(x), mask)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Decoder(nn.Module):
    def __init__(self, layers=24, dim=1024, heads=16, vocab=50304, tokens=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.position = nn.Parameter(torch.empty(1, tokens, dim))
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.register_buffer("mask", torch.full((tokens, tokens), float("-inf")).triu(1))
        for p in self.parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        x = self.embed(ids) + self.position
        for block in self.blocks:
            x = block(x, self.mask)
        return F.linear(self.norm(x), self.embed.weight)  # tied output projection


def main(out):
    if os.path.exists(out):
        return
    torch.manual_seed(0)
    model = Decoder().eval()
    params = sum(p.numel() for p in model.parameters())
    print(f"{params / 1e6:.1f}M parameters", file=sys.stderr)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randint(0, 50304, (1, 64)))
    traced.save(out + ".part")
    os.replace(out + ".part", out)


if __name__ == "__main__":
    main(sys.argv[1])
