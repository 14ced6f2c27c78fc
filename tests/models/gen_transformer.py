"""A causal nn.TransformerEncoder (batch_first, 2 layers, final LayerNorm) traced in eval mode, as a
decoder-only language model's trunk is written: transformer_causal.pt, its input shape in
transformer_causal.json. With a src_mask torch 1.13 takes the layers' regular path (linear, baddbmm
with the mask, softmax, bmm, layer_norm); tests/e2e/test_transformer_encoder.cpp converts it and
compares with libtorch.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted

BATCH, SEQ, WIDTH = 2, 12, 64


class CausalEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=WIDTH, nhead=4, dim_feedforward=128, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(WIDTH))
        # The additive causal mask: 0 where a position may attend, -inf above the diagonal.
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(SEQ))

    def forward(self, x):
        return self.encoder(x, mask=self.mask)


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    pt, spec = os.path.join(outdir, "transformer_causal.pt"), os.path.join(outdir, "transformer_causal.json")
    if up_to_date([pt, spec], sources):
        return
    torch.manual_seed(seed_for("transformer_causal"))
    model = CausalEncoder().eval()
    x = torch.randn(BATCH, SEQ, WIDTH)
    with torch.no_grad():
        traced = torch.jit.trace(model, x, check_trace=False)
    kinds = sorted({n.kind() for n in traced.inlined_graph.nodes() if n.kind().startswith("aten::")})
    write_json(spec, {"inputs": [{"name": "x", "shape": [BATCH, SEQ, WIDTH]}], "ops": kinds})
    save_scripted(traced, pt)
