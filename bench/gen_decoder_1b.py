"""A ~1.06B-parameter Llama-style decoder with random weights, saved with fp16 weights as LLM
checkpoints are distributed, for the big-model conversion benchmark (bench/big_model_bench.sh):

    /usr/bin/python3 bench/gen_decoder_1b.py OUT.pt

TinyLlama's width (2048, 32 heads of 64, SwiGLU MLP 5632) over 18 layers and a 32,000-token vocabulary with
an untied output projection; RMSNorm, rotary position embeddings and a causal mask, traced on 64 token ids.
Debian's torch 1.13 has no fp16 matmul on CPU, so the model is traced in fp32 and the traced module's
parameters and buffers are cast to fp16 before saving (the graph itself has no dtype constants). Weights are
drawn as such models are initialised (normal, std 0.02). An existing file is kept.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        scores = torch.matmul(q, k.transpose(-2, -1)) * (d // self.heads) ** -0.5 + mask
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.o(y.transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.attn_norm = RMSNorm(dim)
        self.attn = Attention(dim, heads)
        self.mlp_norm = RMSNorm(dim)
        self.gate = nn.Linear(dim, hidden, bias=False)
        self.up = nn.Linear(dim, hidden, bias=False)
        self.down = nn.Linear(hidden, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        x = x + self.attn(self.attn_norm(x), cos, sin, mask)
        h = self.mlp_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Decoder(nn.Module):
    def __init__(self, layers=18, dim=2048, heads=32, hidden=5632, vocab=32000, tokens=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Block(dim, heads, hidden) for _ in range(layers))
        self.norm = RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        head = dim // heads
        inv_freq = 1.0 / (10000 ** (torch.arange(0, head, 2).float() / head))
        angles = torch.outer(torch.arange(tokens).float(), inv_freq)
        angles = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos", angles.cos()[None, None])
        self.register_buffer("sin", angles.sin()[None, None])
        self.register_buffer("mask", torch.full((tokens, tokens), float("-inf")).triu(1))
        with torch.no_grad():
            for p in self.parameters():
                if p.dim() >= 2:
                    nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x, self.cos, self.sin, self.mask)
        return self.lm_head(self.norm(x))


def main(out):
    if os.path.exists(out):
        return
    torch.manual_seed(0)
    model = Decoder().eval()
    params = sum(p.numel() for p in model.parameters())
    print(f"{params / 1e6:.1f}M parameters", file=sys.stderr)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randint(0, 32000, (1, 64)))
    del model
    traced = traced.half()
    traced.save(out + ".part")
    os.replace(out + ".part", out)


if __name__ == "__main__":
    main(sys.argv[1])
