"""One tiny TorchScript model per op form of the translator families beyond the first set: selection
(where, masked_fill, triu/tril), indexing (embedding, gather, flip), cumsum and upsampling; plus
fixtures for translators of the first families that no other fixture reaches.

Same files as gen_ops_shape.py (op_NAME.pt and op_NAME.json), so lower.test_op_numerics runs each
against libtorch; "fp16": true asks it to check the fp16 program too. Integer inputs hold 0-9, the
range the verifier's random integer inputs use.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from op_modules import Fn1, Fn2, f32, i32
from fixture_io import seed_for, up_to_date, write_json, save_scripted


def causal_scores(m, x):
    mask = torch.triu(torch.ones(x.shape[-2], x.shape[-1], dtype=torch.bool), 1)
    return torch.softmax(x.masked_fill(mask, -1e4), dim=-1)


# name -> (function of (module, *inputs), [(input name, (dtype, shape))], submodules)
CASES = {
    "where": (lambda m, x, y: torch.where(x > 0, x, y), [("x", f32(2, 3, 4)), ("y", f32(3, 4))], {}),
    "where_scalar": (lambda m, x: torch.where(x > 0.5, x, torch.tensor(0.0)), [("x", f32(2, 5))], {}),
    "masked_fill_causal": (causal_scores, [("x", f32(1, 2, 5, 5))], {}),
    "masked_fill_input_mask": (lambda m, x, y: x.masked_fill(y > 0, 2.5), [("x", f32(2, 3, 4)), ("y", f32(3, 1))], {}),
    "triu": (lambda m, x: torch.triu(x), [("x", f32(2, 4, 5))], {}),
    "triu_above": (lambda m, x: torch.triu(x, 1), [("x", f32(2, 4, 5))], {}),
    "tril_below": (lambda m, x: torch.tril(x, -1), [("x", f32(4, 5))], {}),
    "tril_wide": (lambda m, x: torch.tril(x, 2), [("x", f32(2, 4, 5))], {}),
    "embedding": (lambda m, x: m.emb(x), [("x", i32(2, 5))], {"emb": nn.Embedding(10, 6)}),
    "gather": (lambda m, x, y: torch.gather(x, 1, y), [("x", f32(2, 10, 4)), ("y", i32(2, 3, 4))], {}),
    "flip": (lambda m, x: torch.flip(x, [0, 2]), [("x", f32(2, 3, 4))], {}),
    "cumsum": (lambda m, x: torch.cumsum(x, dim=1), [("x", f32(2, 5, 3))], {}),
    "cumsum_int": (lambda m, x: torch.cumsum(x, dim=-1), [("x", i32(2, 6))], {}),
    "upsample_nearest_2x": (lambda m, x: m.up(x), [("x", f32(1, 3, 4, 5))], {"up": nn.Upsample(scale_factor=2)}),
    "upsample_nearest_size": (lambda m, x: F.interpolate(x, size=(8, 15)), [("x", f32(1, 3, 4, 5))], {}),
    "upsample_bilinear_2x": (lambda m, x: m.up(x), [("x", f32(1, 3, 4, 5))],
                             {"up": nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)}),
    "upsample_bilinear_align": (lambda m, x: F.interpolate(x, size=(12, 10), mode="bilinear", align_corners=True),
                                [("x", f32(1, 2, 4, 5))], {}),
    # Translators of the first families that no other fixture reaches.
    "unary_trig": (lambda m, x: torch.sin(x) + torch.cos(x) + torch.tan(x * 0.5) + torch.sinh(x) + torch.cosh(x) * 0.1
                   + torch.atan(x), [("x", f32(2, 7))], {}),
    "unary_inverse_trig": (lambda m, x: torch.asin(x.clamp(-0.9, 0.9)) + torch.acos(x.clamp(-0.9, 0.9))
                           + torch.atanh(x.clamp(-0.9, 0.9)), [("x", f32(2, 7))], {}),
    "rounding_sign_square": (lambda m, x: torch.floor(x * 3) + torch.ceil(x * 3) + torch.round(x * 3) + torch.sign(x)
                             + torch.square(x), [("x", f32(2, 7))], {}),
    "erf_reciprocal": (lambda m, x: torch.erf(x) + torch.reciprocal(x.abs() + 1), [("x", f32(2, 7))], {}),
    "selu": (lambda m, x: F.selu(x), [("x", f32(2, 7))], {}),
    "logic": (lambda m, x, y: (((x < y) | (x != 0.5)) ^ ~(x >= y)).float(), [("x", f32(2, 3)), ("y", f32(3))], {}),
    "argmin": (lambda m, x: torch.argmin(x, dim=1), [("x", f32(2, 5, 3))], {}),
    "view_as": (lambda m, x, y: x.view_as(y) + y, [("x", f32(2, 6)), ("y", f32(3, 4))], {}),
    "new_fills": (lambda m, x: x + x.new_full((2, 3), 1.5) + x.new_ones(2, 3) + x.new_zeros(2, 3), [("x", f32(2, 3))], {}),
    "fill_likes": (lambda m, x: x * torch.full_like(x, 2.0) + torch.ones_like(x), [("x", f32(2, 3))], {}),
    "adaptive_pools_1d": (lambda m, x: F.adaptive_avg_pool1d(x, 1) + F.adaptive_max_pool1d(x, 1), [("x", f32(2, 3, 8))], {}),
    "adaptive_pools_3d": (lambda m, x: F.adaptive_avg_pool3d(x, 1) + F.adaptive_max_pool3d(x, 1),
                          [("x", f32(1, 2, 4, 4, 4))], {}),
}
# Float results of the new families get an fp16 check too (integer results are exact in both).
FP16 = {"where", "where_scalar", "masked_fill_causal", "masked_fill_input_mask", "triu", "triu_above", "tril_below",
        "tril_wide", "embedding", "gather", "flip", "cumsum", "upsample_nearest_2x", "upsample_nearest_size",
        "upsample_bilinear_2x", "upsample_bilinear_align"}


def build(name, fn, inputs, modules, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = (Fn1 if len(inputs) == 1 else Fn2)(fn, **modules).eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = []
    for _, (dtype, shape) in inputs:
        if dtype == "float32":
            args.append(torch.randn(*shape, generator=gen))
        else:
            args.append(torch.randint(0, 10, shape, generator=gen))
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(args))
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": name in FP16,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "op_modules.py")]
    for name, (fn, inputs, modules) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, modules, outdir)
