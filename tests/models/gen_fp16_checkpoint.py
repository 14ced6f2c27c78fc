"""A small Llama-style decoder saved with fp16 weights, as LLM checkpoints are distributed: traced in fp32 (Debian's
torch 1.13 has no fp16 matmul on the CPU), then its parameters and buffers cast to fp16 before saving. Converting
it must keep every weight fp16 (no fp32 copies of fp16 weights), which tests/e2e/test_fp16_checkpoint.cpp checks.
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_io import up_to_date


class Block(nn.Module):
    def __init__(self, dim=64, heads=4, hidden=96, tokens=8):
        super().__init__()
        self.heads = heads
        self.norm = nn.Parameter(torch.ones(dim))
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.gate = nn.Linear(dim, hidden, bias=False)
        self.up = nn.Linear(dim, hidden, bias=False)
        self.down = nn.Linear(hidden, dim, bias=False)
        angles = torch.outer(torch.arange(tokens).float(), torch.arange(dim // heads // 2).float() + 1)
        self.register_buffer("cos", torch.cat((angles, angles), -1).cos())
        self.register_buffer("sin", torch.cat((angles, angles), -1).sin())

    def forward(self, x):
        b, t, d = x.shape
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.norm
        q, k, v = self.qkv(h).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        half = q.shape[-1] // 2
        q = q * self.cos + torch.cat((-q[..., half:], q[..., :half]), -1) * self.sin  # rotary halves
        scores = torch.matmul(q, k.transpose(-2, -1)) * (d // self.heads) ** -0.5
        x = x + self.o(torch.matmul(torch.softmax(scores, -1), v).transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.silu(self.gate(x)) * self.up(x))


class Decoder(nn.Module):
    def __init__(self, vocab=100, dim=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.block = Block(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids):
        return self.head(self.block(self.embed(ids)))


def generate(outdir):
    out = os.path.join(outdir, "fp16_checkpoint_decoder.pt")
    if up_to_date([out], [os.path.abspath(__file__)]):
        return
    torch.manual_seed(0)
    model = Decoder().eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randint(0, 100, (1, 8)))
    traced.half().save(out)
