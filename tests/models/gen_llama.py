"""A small Llama-style decoder with a KV cache kept in registered buffers (issue 10), for the stateful
conversion tests (tests/e2e/test_stateful_llama.cpp).

llama_kv.pt (~20M parameters, random init): token embedding, RMSNorm, rotary position embeddings,
  attention written out (q/k/v projections, scores against the whole cache, a mask that is causal and hides
  the cache slots not written yet, softmax), a SiLU-gated MLP, a final RMSNorm and an untied head. Inputs:
  tokens 1xT (int32) and pos 1 (int32, where the T tokens start). K and V caches are fp16 buffers
  [layers, 1, heads, max_len, head_dim] (Core ML keeps states in fp16) written in place with slice
  assignment at pos:pos+T. Outputs: logits 1xTxvocab, the argmax token of the last position and the top-5
  logits of the last position. Traced at T = 8.
state_counter.pt: a module that adds its input to an fp32 buffer with add_ and returns the sum (the
  buffer mutated in place that the tests leave undeclared, and one declared in fp32).
state_forms.pt: three fp16 buffers written in the other ways caches are: index_put_ at run-time positions
  (pos + arange(T)), slice_scatter at a fixed slot copied back with copy_, and += into a slice. Inputs x 1x3x4
  and pos 1 (int32).
"""
import math
import os

import torch
from torch import nn
from torch.nn import functional as F

from fixture_io import seed_for, up_to_date, save_scripted

VOCAB = 4096
DIM = 512
LAYERS = 6
HEADS = 8
HIDDEN = 1376
MAX_LEN = 64


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(1.0 + 0.1 * torch.randn(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.head_dim = DIM // HEADS
        self.q = nn.Linear(DIM, DIM, bias=False)
        self.k = nn.Linear(DIM, DIM, bias=False)
        self.v = nn.Linear(DIM, DIM, bias=False)
        self.o = nn.Linear(DIM, DIM, bias=False)

    def forward(self, x, cos, sin, mask, k_cache, v_cache, layer: int, start):
        b, t, _ = x.shape
        q = self.q(x).view(b, t, HEADS, self.head_dim).transpose(1, 2)
        k = self.k(x).view(b, t, HEADS, self.head_dim).transpose(1, 2)
        v = self.v(x).view(b, t, HEADS, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k_cache[layer, :, :, start:start + t] = k.half()
        v_cache[layer, :, :, start:start + t] = v.half()
        keys = k_cache[layer].float()
        values = v_cache[layer].float()
        scores = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(mask, float("-inf"))
        out = torch.matmul(F.softmax(scores, dim=-1), values)
        return self.o(out.transpose(1, 2).reshape(b, t, DIM))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn_norm = RMSNorm(DIM)
        self.attn = Attention()
        self.mlp_norm = RMSNorm(DIM)
        self.gate = nn.Linear(DIM, HIDDEN, bias=False)
        self.up = nn.Linear(DIM, HIDDEN, bias=False)
        self.down = nn.Linear(HIDDEN, DIM, bias=False)

    def forward(self, x, cos, sin, mask, k_cache, v_cache, layer: int, start):
        x = x + self.attn(self.attn_norm(x), cos, sin, mask, k_cache, v_cache, layer, start)
        h = self.mlp_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, DIM)
        self.layers = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.norm = RMSNorm(DIM)
        self.head = nn.Linear(DIM, VOCAB, bias=False)
        head_dim = DIM // HEADS
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, head_dim, 2).float() / head_dim)))
        self.register_buffer("k_cache", torch.zeros(LAYERS, 1, HEADS, MAX_LEN, head_dim, dtype=torch.float16))
        self.register_buffer("v_cache", torch.zeros(LAYERS, 1, HEADS, MAX_LEN, head_dim, dtype=torch.float16))
        with torch.no_grad():
            for name, p in self.named_parameters():
                if p.dim() == 2:
                    p.normal_(0.0, 0.02 if "embed" not in name else 1.0)

    def forward(self, tokens, pos):
        t = tokens.shape[1]
        start = pos[0]
        positions = torch.arange(t, dtype=torch.int32) + start
        freqs = positions.float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        # A key slot is visible to a query when it is not after the query's position: causal, and the
        # slots not written yet are hidden too.
        slots = torch.arange(MAX_LEN, dtype=torch.int32)
        mask = (slots[None, :] > positions[:, None])[None, None]
        x = self.embed(tokens)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, self.k_cache, self.v_cache, i, start)
        logits = self.head(self.norm(x))
        last = logits[:, -1]
        top_values, _ = torch.topk(last, 5, dim=-1)
        return logits, torch.argmax(last, dim=-1).int(), top_values


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("total", torch.zeros(1, 4))

    def forward(self, x):
        self.total.add_(x)
        return self.total * 1.0


class WriteForms(nn.Module):
    def __init__(self):
        super().__init__()
        for name in ("a", "b", "c"):
            self.register_buffer(name, torch.zeros(1, 16, 4, dtype=torch.float16))

    def forward(self, x, pos):
        t = x.shape[1]
        positions = torch.arange(t) + pos[0]
        self.a[:, positions] = x.half()
        # torch 1.13 reads slice_scatter's keyword arguments wrongly: positional (dim, start, end, step).
        self.b.copy_(torch.slice_scatter(self.b, x.half() * 2, 1, 2, 2 + t, 1))
        self.c[:, 4:4 + t] += (x * 3).half()
        return self.a.float().sum(1) + self.b.float().sum(1) * 0.5 + self.c.float().sum(1)


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    path = os.path.join(outdir, "llama_kv.pt")
    if not up_to_date([path], sources):
        torch.manual_seed(seed_for("llama_kv"))
        m = Llama().eval()
        tokens = torch.randint(0, VOCAB, (1, 8), dtype=torch.int32)
        with torch.no_grad():
            traced = torch.jit.trace(m, (tokens, torch.tensor([0], dtype=torch.int32)), check_trace=False)
        # Tracing ran forward once: start the saved model from empty caches.
        traced.k_cache.zero_()
        traced.v_cache.zero_()
        save_scripted(traced, path)
    path = os.path.join(outdir, "state_counter.pt")
    if not up_to_date([path], sources):
        torch.manual_seed(seed_for("state_counter"))
        with torch.no_grad():
            traced = torch.jit.trace(Counter().eval(), torch.randn(1, 4), check_trace=False)
        traced.total.zero_()
        save_scripted(traced, path)
    path = os.path.join(outdir, "state_forms.pt")
    if not up_to_date([path], sources):
        torch.manual_seed(seed_for("state_forms"))
        with torch.no_grad():
            traced = torch.jit.trace(WriteForms().eval(), (torch.randn(1, 3, 4), torch.tensor([0], dtype=torch.int32)),
                                     check_trace=False)
        for name in ("a", "b", "c"):
            getattr(traced, name).zero_()
        save_scripted(traced, path)


if __name__ == "__main__":
    import sys
    generate(sys.argv[1])
