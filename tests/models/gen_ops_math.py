"""One tiny TorchScript model per op form of the math families: elementwise math (inverse hyperbolic,
atan2, exp2/expm1, logs, frac, isnan, nan_to_num, remainder), reductions (all/any, var/std,
logsumexp, vector and matrix norms), products (baddbmm, mv, dot, outer, cross, vecdot, einsum),
linalg_inv, losses (l1, mse, nll) and the fused encoder layer of nn.TransformerEncoderLayer.

Same files as gen_ops_extended.py (op_NAME.pt and op_NAME.json), so lower.test_op_numerics runs each
against libtorch on standard-normal float inputs and integer inputs in 0-9; "fp16": true asks it to
check the fp16 program too. Inputs outside an op's domain are mapped into it inside the model.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from op_modules import Fn1, Fn2, Fn3, f32, i32
from fixture_io import seed_for, up_to_date, write_json, save_scripted


def with_nonfinite(x):
    """x with NaN (sqrt of negatives) and +-inf (division by a signed zero) mixed in."""
    return torch.cat([torch.sqrt(x), 1.0 / (x * 0.0), x], dim=-1)


def well_conditioned(x):
    """x x^T + n I: symmetric positive definite, so its inverse is well defined and stable."""
    n = x.shape[-1]
    return x @ x.transpose(-1, -2) + n * torch.eye(n)


def encoder_layer():
    return nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.1, batch_first=True)


def encoder_layer_gelu_norm_first():
    return nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=24, dropout=0.1, batch_first=True,
                                      activation="gelu", norm_first=True)


# name -> (function of (module, *inputs), [(input name, (dtype, shape))], submodules)
CASES = {
    # Elementwise math.
    "acosh": (lambda m, x: torch.acosh(x.abs() + 1.0), [("x", f32(3, 7))], {}),
    "asinh": (lambda m, x: torch.asinh(x * 3.0), [("x", f32(3, 7))], {}),
    "atan2": (lambda m, x, y: torch.atan2(x, y), [("x", f32(4, 6)), ("y", f32(6))], {}),
    "atan2_axes": (lambda m, x: torch.atan2(torch.tensor([1.0, -1.0, 0.0, 2.0]) * x.abs(), torch.tensor([0.0, 0.0, -1.0, -0.5])),
                   [("x", f32(3, 4))], {}),
    "exp2": (lambda m, x: torch.exp2(x), [("x", f32(3, 7))], {}),
    "exp2_int": (lambda m, x: torch.exp2(x), [("x", i32(2, 5))], {}),
    "expm1": (lambda m, x: torch.expm1(x), [("x", f32(3, 7))], {}),
    "log10": (lambda m, x: torch.log10(x.abs() + 0.1), [("x", f32(3, 7))], {}),
    "log1p": (lambda m, x: torch.log1p(x.abs()), [("x", f32(3, 7))], {}),
    "log2": (lambda m, x: torch.log2(x.abs() + 0.1), [("x", f32(3, 7))], {}),
    "frac": (lambda m, x: torch.frac(x * 3.0), [("x", f32(3, 7))], {}),
    "isnan": (lambda m, x: torch.isnan(with_nonfinite(x)).float(), [("x", f32(3, 5))], {}),
    "nan_to_num": (lambda m, x: torch.nan_to_num(with_nonfinite(x), nan=0.5, posinf=100.0, neginf=-50.0), [("x", f32(3, 5))], {}),
    "nan_to_num_default": (lambda m, x: torch.nan_to_num(with_nonfinite(x)), [("x", f32(3, 5))], {}),
    "remainder": (lambda m, x, y: torch.remainder(x * 4.0, y.abs() + 0.5), [("x", f32(3, 6)), ("y", f32(6))], {}),
    "remainder_scalar": (lambda m, x: torch.remainder(x * 4.0, -1.5), [("x", f32(3, 6))], {}),
    "remainder_int": (lambda m, x, y: torch.remainder(x - 4, y + 1), [("x", i32(3, 6)), ("y", i32(3, 6))], {}),
    # Reductions.
    "all_any": (lambda m, x: torch.stack([torch.all(x > -1.5), torch.any(x > 2.0)]).int(), [("x", f32(3, 7))], {}),
    "all_dim": (lambda m, x: torch.all(x > -0.7, dim=1).float(), [("x", f32(4, 5))], {}),
    "any_dim_keepdim": (lambda m, x: torch.any(x > 1.2, dim=-1, keepdim=True).float(), [("x", f32(4, 5))], {}),
    "all_int": (lambda m, x: torch.all(x, dim=0).int(), [("x", i32(3, 6))], {}),
    "var": (lambda m, x: torch.var(x).reshape(1), [("x", f32(4, 6))], {}),
    "var_dim": (lambda m, x: torch.var(x, dim=1, unbiased=False, keepdim=True), [("x", f32(4, 6, 3))], {}),
    "var_correction": (lambda m, x: torch.var(x, dim=(0, 2), correction=2), [("x", f32(4, 6, 3))], {}),
    "std": (lambda m, x: torch.std(x, unbiased=False).reshape(1), [("x", f32(4, 6))], {}),
    "std_dim": (lambda m, x: torch.std(x, dim=-1), [("x", f32(4, 6))], {}),
    "std_correction": (lambda m, x: torch.std(x, dim=None, correction=0, keepdim=True), [("x", f32(4, 6))], {}),
    "logsumexp": (lambda m, x: torch.logsumexp(x * 5.0, dim=1), [("x", f32(3, 8, 2))], {}),
    "norm": (lambda m, x: torch.norm(x).reshape(1) + torch.norm(x, p=1, dim=1), [("x", f32(4, 6))], {}),
    "norm_p": (lambda m, x: torch.norm(x, p=3, dim=-1, keepdim=True), [("x", f32(4, 6))], {}),
    "frobenius_norm": (lambda m, x: torch.frobenius_norm(x, dim=[1, 2]), [("x", f32(3, 4, 5))], {}),
    "linalg_vector_norm": (lambda m, x: torch.linalg.vector_norm(x, ord=float("inf"), dim=1)
                           + torch.linalg.vector_norm(x, ord=0.5, dim=1) + torch.linalg.vector_norm(x, ord=0, dim=1),
                           [("x", f32(4, 6))], {}),
    "linalg_matrix_norm": (lambda m, x: torch.linalg.matrix_norm(x) + torch.linalg.matrix_norm(x, ord=1)
                           + torch.linalg.matrix_norm(x, ord=float("-inf")), [("x", f32(2, 4, 5))], {}),
    "linalg_norm": (lambda m, x: torch.linalg.norm(x, dim=(1, 2)) + torch.linalg.norm(x, ord=-1, dim=(2, 1))
                    + torch.linalg.norm(x, ord=2, dim=1).sum(-1), [("x", f32(2, 4, 5))], {}),
    "linalg_norm_all": (lambda m, x: torch.linalg.norm(x).reshape(1), [("x", f32(3, 4))], {}),
    "linalg_norm_ord_str": (lambda m, x: torch.linalg.norm(x, ord="fro", dim=(0, 1), keepdim=True), [("x", f32(4, 5))], {}),
    # Products.
    "baddbmm": (lambda m, x, y, z: torch.baddbmm(x, y, z, beta=0.5, alpha=2.0), [("x", f32(2, 3, 5)), ("y", f32(2, 3, 4)),
                                                                                 ("z", f32(2, 4, 5))], {}),
    "baddbmm_broadcast": (lambda m, x, y, z: torch.baddbmm(x, y, z), [("x", f32(3, 5)), ("y", f32(2, 3, 4)), ("z", f32(2, 4, 5))], {}),
    "mv": (lambda m, x, y: torch.mv(x, y), [("x", f32(5, 4)), ("y", f32(4))], {}),
    "dot": (lambda m, x, y: torch.dot(x, y) * x, [("x", f32(6)), ("y", f32(6))], {}),
    "outer": (lambda m, x, y: torch.outer(x, y), [("x", f32(5)), ("y", f32(3))], {}),
    "cross": (lambda m, x, y: torch.cross(x, y), [("x", f32(4, 3, 2)), ("y", f32(4, 3, 2))], {}),
    "linalg_cross": (lambda m, x, y: torch.linalg.cross(x, y), [("x", f32(2, 5, 3)), ("y", f32(1, 5, 3))], {}),
    "linalg_vecdot": (lambda m, x, y: torch.linalg.vecdot(x, y, dim=1), [("x", f32(2, 6, 3)), ("y", f32(6, 3))], {}),
    "einsum_bmm": (lambda m, x, y: torch.einsum("bij,bjk->bik", x, y), [("x", f32(2, 3, 4)), ("y", f32(2, 4, 5))], {}),
    "einsum_attention": (lambda m, x, y: torch.einsum("bhqd,bhkd->bhqk", x, y), [("x", f32(1, 2, 3, 4)), ("y", f32(1, 2, 5, 4))], {}),
    "einsum_transpose_sum": (lambda m, x: torch.einsum("ijk->kj", x), [("x", f32(2, 3, 4))], {}),
    "einsum_implicit_outer": (lambda m, x, y: torch.einsum("i,j", x, y), [("x", f32(4)), ("y", f32(3))], {}),
    "einsum_ellipsis": (lambda m, x, y: torch.einsum("...ij,...jk->...ki", x, y), [("x", f32(2, 3, 4, 5)), ("y", f32(3, 5, 2))], {}),
    "einsum_three": (lambda m, x, y, z: torch.einsum("ab,bc,cd->ad", x, y, z), [("x", f32(2, 3)), ("y", f32(3, 4)),
                                                                                ("z", f32(4, 5))], {}),
    "einsum_bilinear": (lambda m, x, y: torch.einsum("bn,anm,bm->ba", x, m.w, y), [("x", f32(2, 4)), ("y", f32(2, 3))], {}),
    # Inverses: computed 2x2, 3x3 and 4x4 matrices (batched) and a constant one folded at conversion.
    "linalg_inv_2": (lambda m, x: torch.linalg.inv(well_conditioned(x)), [("x", f32(3, 2, 2))], {}),
    "linalg_inv_3": (lambda m, x: torch.linalg.inv(well_conditioned(x)), [("x", f32(2, 3, 3))], {}),
    "linalg_inv_4": (lambda m, x: torch.linalg.inv(well_conditioned(x)), [("x", f32(4, 4))], {}),
    "linalg_inv_const": (lambda m, x: x @ torch.linalg.inv(m.a), [("x", f32(2, 5))], {}),
    # Losses.
    "l1_loss": (lambda m, x, y: F.l1_loss(x, y).reshape(1) + F.l1_loss(x, y, reduction="sum"), [("x", f32(3, 4)), ("y", f32(3, 4))], {}),
    "l1_loss_none": (lambda m, x, y: F.l1_loss(x, y, reduction="none"), [("x", f32(3, 4)), ("y", f32(4))], {}),
    "mse_loss": (lambda m, x, y: F.mse_loss(x, y).reshape(1) + F.mse_loss(x, y, reduction="sum"), [("x", f32(3, 4)), ("y", f32(3, 4))], {}),
    "mse_loss_none": (lambda m, x, y: F.mse_loss(x, y, reduction="none"), [("x", f32(3, 4)), ("y", f32(3, 4))], {}),
    "nll_loss": (lambda m, x, y: F.nll_loss(F.log_softmax(x, dim=1), y).reshape(1), [("x", f32(6, 10)), ("y", i32(6))], {}),
    "nll_loss_none_ignore": (lambda m, x, y: F.nll_loss(F.log_softmax(x, dim=1), y, reduction="none", ignore_index=3),
                             [("x", f32(8, 10)), ("y", i32(8))], {}),
    "nll_loss_weighted": (lambda m, x, y: F.nll_loss(F.log_softmax(x, dim=1), y, weight=m.w, ignore_index=2).reshape(1),
                          [("x", f32(8, 10)), ("y", i32(8))], {}),
    "nll_loss_nd_sum": (lambda m, x, y: F.nll_loss(F.log_softmax(x, dim=1), y, reduction="sum").reshape(1),
                        [("x", f32(2, 10, 3, 4)), ("y", i32(2, 3, 4))], {}),
    "nll_loss_nd_mean": (lambda m, x, y: F.nll_loss(x, y, ignore_index=0).reshape(1), [("x", f32(2, 10, 5)), ("y", i32(2, 5))], {}),
    # The inference fast path of nn.TransformerEncoderLayer (no src_mask): one fused op per layer.
    "transformer_encoder_layer_fwd": (lambda m, x: m.enc(x), [("x", f32(2, 5, 16))],
                                      {"enc": nn.TransformerEncoder(encoder_layer(), num_layers=2)}),
    "transformer_encoder_layer_fwd_gelu": (lambda m, x: m.layer(x), [("x", f32(2, 5, 16))], {"layer": encoder_layer_gelu_norm_first()}),
}
# Constant tensors some cases read (registered as buffers so tracing keeps them).
BUFFERS = {
    "einsum_bilinear": {"w": (5, 4, 3)},
    "linalg_inv_const": {"a": (5, 5)},
    "nll_loss_weighted": {"w": (10,)},
}
# Float results get an fp16 check too; integer and 0/1 results are exact in both, and the largest fp32 value
# (nan_to_num's default for inf) has no fp16 equivalent.
NOT_FP16 = {"exp2_int", "isnan", "remainder_int", "all_any", "all_dim", "any_dim_keepdim", "all_int", "nan_to_num_default"}


def build(name, fn, inputs, modules, outdir):
    torch.manual_seed(seed_for("op_" + name))
    cls = {1: Fn1, 2: Fn2, 3: Fn3}[len(inputs)]
    module = cls(fn, **modules)
    for buf, shape in BUFFERS.get(name, {}).items():
        value = torch.rand(*shape) + 0.5 if buf == "w" and len(shape) == 1 else torch.randn(*shape)
        if buf == "a":
            value = value + shape[0] * torch.eye(shape[0])
        module.register_buffer(buf, value)
    module = module.eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = []
    for _, (dtype, shape) in inputs:
        if dtype == "float32":
            args.append(torch.randn(*shape, generator=gen))
        else:
            args.append(torch.randint(0, 10, shape, generator=gen))
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(args), check_trace=False)
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    spec = {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": name not in NOT_FP16,
    }
    if name == "nan_to_num_default":
        spec["fp16_exempt"] = "inf becomes the largest fp32 number, which fp16 cannot hold"
    write_json(os.path.join(outdir, f"op_{name}.json"), spec)


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "op_modules.py")]
    for name, (fn, inputs, modules) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, modules, outdir)
    generate_sdpa(outdir, sources)


# scaled_dot_product_attention is a torch 2.0 op: these models are traced with a stand-in op of the
# same schema, then their TorchScript code is renamed to call torch.scaled_dot_product_attention, as
# torch >= 2.0 writes it. The files (backport_sdpa_NAME.pt/.json) load only where that op is
# registered (core/runtime/torch/torch_backports.cpp); lower.test_math_ops compares them with libtorch.
SDPA_SCHEMA = ("scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
               "float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor")
_stand_in = None


def stand_in_sdpa():
    """torch.ops.cms_stand_in.scaled_dot_product_attention, computed as torch 2 documents it."""
    global _stand_in
    if _stand_in is None:
        _stand_in = torch.library.Library("cms_stand_in", "DEF")
        _stand_in.define(SDPA_SCHEMA)

        def sdpa(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False):
            if enable_gqa and q.shape[-3] != k.shape[-3]:
                k = k.repeat_interleave(q.shape[-3] // k.shape[-3], -3)
                v = v.repeat_interleave(q.shape[-3] // v.shape[-3], -3)
            w = q @ k.transpose(-2, -1) * (scale if scale is not None else q.shape[-1] ** -0.5)
            if is_causal:
                w = w.masked_fill(~torch.ones(w.shape[-2], w.shape[-1], dtype=torch.bool).tril(), float("-inf"))
            if attn_mask is not None:
                w = w.masked_fill(~attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else w + attn_mask
            return torch.softmax(w, -1) @ v

        _stand_in.impl("scaled_dot_product_attention", sdpa, "CPU")
    return torch.ops.cms_stand_in.scaled_dot_product_attention


def causal_bool(n):
    return torch.ones(n, n, dtype=torch.bool).tril()


# name -> (function of (sdpa, module, q, k, v), q/k/v shapes, buffers)
SDPA_CASES = {
    "plain": (lambda f, m, q, k, v: f(q, k, v), ((1, 2, 5, 8), (1, 2, 7, 8), (1, 2, 7, 6)), {}),
    "causal": (lambda f, m, q, k, v: f(q, k, v, is_causal=True), ((2, 3, 6, 8),) * 3, {}),
    "bool_mask_scale": (lambda f, m, q, k, v: f(q, k, v, attn_mask=m.mask, scale=0.2), ((1, 2, 4, 8), (1, 2, 6, 8), (1, 2, 6, 8)),
                        {"mask": lambda: torch.rand(4, 6) > 0.3}),
    "float_mask": (lambda f, m, q, k, v: f(q, k, v, attn_mask=m.mask), ((2, 4, 8), (2, 5, 8), (2, 5, 3)),
                   {"mask": lambda: torch.randn(2, 4, 5)}),
    "gqa": (lambda f, m, q, k, v: f(q, k, v, enable_gqa=True), ((1, 4, 3, 8), (1, 2, 5, 8), (1, 2, 5, 8)), {}),
}


class SdpaModel(nn.Module):
    def __init__(self, fn, sdpa, buffers):
        super().__init__()
        self.fn, self.sdpa = fn, sdpa
        for k, make in buffers.items():
            self.register_buffer(k, make())

    def forward(self, x, y, z):
        return self.fn(self.sdpa, self, x, y, z)


def rename_stand_in(path):
    """Rewrites the saved code to call torch.scaled_dot_product_attention; debug source maps are dropped."""
    import zipfile
    tmp = path + ".rename"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if info.filename.endswith(".debug_pkl"):
                continue
            data = src.read(info.filename)
            if "/code/" in info.filename and info.filename.endswith(".py"):
                data = data.replace(b"ops.cms_stand_in.scaled_dot_product_attention", b"torch.scaled_dot_product_attention")
            dst.writestr(info, data)
    os.replace(tmp, path)


def generate_sdpa(outdir, sources):
    for name, (fn, shapes, buffers) in SDPA_CASES.items():
        stem = os.path.join(outdir, f"backport_sdpa_{name}")
        if up_to_date([stem + ".pt", stem + ".json"], sources):
            continue
        torch.manual_seed(seed_for("backport_sdpa_" + name))
        model = SdpaModel(fn, stand_in_sdpa(), {k: make for k, make in buffers.items()}).eval()
        args = tuple(torch.randn(*s) for s in shapes)
        with torch.no_grad():
            traced = torch.jit.trace(model, args, check_trace=False)
        write_json(stem + ".json", {"inputs": [{"name": n, "dtype": "float32", "shape": list(s)} for n, s in zip("xyz", shapes)]})
        save_scripted(traced, stem + ".pt.part2")
        rename_stand_in(stem + ".pt.part2")
        os.replace(stem + ".pt.part2", stem + ".pt")
