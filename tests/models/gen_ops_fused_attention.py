"""Op fixtures for PyTorch's fused attention fast path (aten::_native_multi_head_attention).

nn.MultiheadAttention takes the fast path for batch-first self-attention with an even head count,
in eval mode without gradients: the traced graph then holds the fused op, as in torchvision's ViT.
Same files as gen_ops_extended.py (op_NAME.pt and op_NAME.json), run by lower.test_op_numerics.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class SelfAttention(nn.Module):
    def __init__(self, embed, heads, padding=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed, heads, batch_first=True)
        if padding is not None:
            self.register_buffer("padding", padding)
        else:
            self.padding = None

    def forward(self, x):
        if self.padding is None:
            out, _ = self.attn(x, x, x, need_weights=False)
            return out
        # The averaged attention weights mixed back in, so the second output is checked too.
        out, weights = self.attn(x, x, x, key_padding_mask=self.padding, need_weights=True)
        return out + torch.bmm(weights, x)


def key_padding(batch, length):
    mask = torch.zeros(batch, length, dtype=torch.bool)
    mask[0, -2:] = True  # the first sequence is two tokens shorter
    return mask


CASES = {
    "native_mha_self": (lambda: SelfAttention(32, 4), (2, 7, 32)),
    "native_mha_key_padding": (lambda: SelfAttention(16, 2, key_padding(2, 6)), (2, 6, 16)),
}


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (factory, shape) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        torch.manual_seed(seed_for("op_" + name))
        module = factory().eval()
        x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed_for(name)))
        with torch.no_grad():
            traced = torch.jit.trace(module, (x,))
            result = module(x)
        if "aten::_native_multi_head_attention" not in str(traced.inlined_graph):
            raise RuntimeError(f"op_{name}: the trace did not take PyTorch's fused attention path")
        save_scripted(traced, files[0])
        write_json(files[1], {
            "inputs": [{"name": "x", "dtype": "float32", "shape": list(shape)}],
            "outputs": [{"dtype": "float32", "shape": list(result.shape)}],
            "fp16": True,
        })
