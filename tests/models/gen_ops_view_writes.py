"""Models that write into a view of a tensor (x[:, 0:2] = v, x[0].fill_(1), x[..., 1] += y ...) and read the
tensor afterwards: the write must reach the base. op_NAME.pt/json are run against libtorch by
lower.test_op_numerics; err_view_write_NAME.pt hold writes the conversion must refuse with a clear error
(tests/lower/test_view_writes.cpp).

Each model clones its input first: TorchScript would otherwise write into the caller's tensor.
"""
import os

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn1(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Fn2(Fn1):
    def forward(self, x, y):
        return self.fn(x, y)


def f32(*shape):
    return ("float32", shape)


def slice_assign(x, y):
    x = x.clone()
    x[:, 0:2] = y
    return x * 2


def select_step_assign(x, y):
    x = x.clone()
    x[:, 1:6:2, 2] = y
    return x + 1


def masked_slice_assign(x):
    x = x.clone()
    x[:, 1:3][x[:, 1:3] > 0] = 0.5
    return x


def slice_add_inplace(x, y):
    x = x.clone()
    x[..., 1] += y
    return x


def fill_row(x):
    x = x.clone()
    x[0].fill_(1.0)
    return x - 0.5


def chained_views(x, y):
    x = x.clone()
    v = x.narrow(1, 1, 3)
    v[:, :, 0:2].mul_(y)
    return x


def view_then_base_read(x):
    # The view read after the write sees it; so does a second view taken before the write.
    x = x.clone()
    a = x[1]
    b = x[:, 2:3]
    a.mul_(-1.0)
    return x + a.sum() + b


def reshape_view_write(x):
    x = x.clone()
    x.view(2, 12)[:, 3] = 7.0
    return x


def inplace_on_value(x):
    y = x * 2
    y.add_(1)
    y.relu_()
    return y + x


def contiguous_copy_write(x):
    # contiguous() of a transposed view copies: the write must not reach x; of a row it aliases: it must.
    x = x.clone()
    c = x.t().contiguous()
    c.add_(1.0)
    r = x[1].contiguous()
    r.mul_(3.0)
    return x + c.sum()


def transposed_write(x, y):
    x = x.clone()
    x.t()[1:3] = y
    return x


CASES = {
    "view_write_slice_assign": (slice_assign, [("x", f32(3, 5)), ("y", f32(3, 2))]),
    "view_write_select_step": (select_step_assign, [("x", f32(2, 7, 4)), ("y", f32(2, 3))]),
    "view_write_masked_slice": (masked_slice_assign, [("x", f32(3, 5))]),
    "view_write_slice_iadd": (slice_add_inplace, [("x", f32(2, 3, 4)), ("y", f32(2, 3))]),
    "view_write_fill_row": (fill_row, [("x", f32(3, 4))]),
    "view_write_chained": (chained_views, [("x", f32(2, 5, 4)), ("y", f32(2, 3, 2))]),
    "view_write_sibling_views": (view_then_base_read, [("x", f32(3, 4))]),
    "view_write_reshape": (reshape_view_write, [("x", f32(4, 6))]),
    "view_write_plain_inplace": (inplace_on_value, [("x", f32(2, 3))]),
    "view_write_transposed": (transposed_write, [("x", f32(4, 3)), ("y", f32(2, 4))]),
    "view_write_contiguous": (contiguous_copy_write, [("x", f32(3, 4))]),
}


def chunk_piece_write(x):
    x = x.clone()
    a, b = x.chunk(2)
    a.add_(1.0)
    return x


def permuted_reshape_write(x):
    # reshape of a transposed view copies in PyTorch: whether the write reaches x depends on that.
    x = x.clone()
    x.t().reshape(-1)[0:2] = 5.0
    return x


# Writes the conversion refuses: err_view_write_NAME.pt, input x.
ERRORS = {
    "chunk_piece": (chunk_piece_write, (4, 3)),
    "reshape_copy": (permuted_reshape_write, (4, 3)),
}


def build(name, fn, inputs, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = (Fn1 if len(inputs) == 1 else Fn2)(fn).eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = [torch.randn(*shape, generator=gen) for _, (_, shape) in inputs]
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(a.clone() for a in args))
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": True,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (fn, inputs) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, outdir)
    for name, (fn, shape) in ERRORS.items():
        path = os.path.join(outdir, f"err_view_write_{name}.pt")
        if up_to_date([path], sources):
            continue
        with torch.no_grad():
            traced = torch.jit.trace(Fn1(fn).eval(), (torch.randn(*shape),))
        save_scripted(traced, path)
