"""Large models for the graph view benchmark, traced with random weights (run with /usr/bin/python3).

    /usr/bin/python3 bench/gen_graph_models.py OUT_DIR

writes OUT_DIR/vit_b_16.pt (torchvision's ViT-B/16) and OUT_DIR/transformer24.pt: a 24-layer
transformer encoder whose attention is written out head by head (a projection per head, as models
ported from hand-written attention code are), which traces to 5,000+ nodes. Existing files are kept.
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision


class Head(nn.Module):
    def __init__(self, dim, head_dim):
        super().__init__()
        self.q = nn.Linear(dim, head_dim)
        self.k = nn.Linear(dim, head_dim)
        self.v = nn.Linear(dim, head_dim)
        self.scale = head_dim ** -0.5

    def forward(self, x, bias):
        scores = torch.matmul(self.q(x), self.k(x).transpose(-2, -1)) * self.scale
        return torch.matmul(torch.softmax(scores + bias, dim=-1), self.v(x))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = nn.ModuleList(Head(dim, dim // heads) for _ in range(heads))
        self.out = nn.Linear(dim, dim)

    def forward(self, x, bias):
        return self.out(torch.cat([h(x, bias) for h in self.heads], dim=-1))


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x, bias):
        x = x + self.attn(self.norm1(x), bias)
        return x + self.fc2(self.act(self.fc1(self.norm2(x))))


class Transformer(nn.Module):
    def __init__(self, layers=24, dim=192, heads=24, vocab=1000, tokens=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.position = nn.Parameter(torch.randn(1, tokens, dim) * 0.02)
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)
        # Causal attention bias, a constant of the traced graph.
        self.register_buffer("bias", torch.triu(torch.full((tokens, tokens), -1e4), diagonal=1))

    def forward(self, ids):
        x = self.embed(ids) + self.position
        for layer in self.layers:
            x = layer(x, self.bias)
        return self.head(self.norm(x))


def save(path, model, example):
    if os.path.exists(path):
        return
    torch.manual_seed(0)
    with torch.no_grad():
        traced = torch.jit.trace(model.eval(), example)
    traced.save(path)
    print(f"wrote {path}")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    save(os.path.join(out, "transformer24.pt"), Transformer(), torch.randint(0, 1000, (1, 64)))
    save(os.path.join(out, "vit_b_16.pt"), torchvision.models.vit_b_16(), torch.randn(1, 3, 224, 224))


if __name__ == "__main__":
    main()
