"""One tiny TorchScript model per form of the indexing, scatter, sorting and tensor-building ops: advanced
indexing (x[idx], several index tensors, bool masks, ellipsis), index_put, scatter*, select/slice/masked
scatter, roll, argsort/sort/topk, nonzero/unique of constants, one_hot, tile, repeat_interleave,
tensor_split, unflatten, diagonal/trace, eye/linspace, meshgrid, broadcast_tensors, atleast_Nd, hstack,
fliplr, searchsorted, cumprod, logcumsumexp, fill_, numpy_T, shape tensors and in-place bitwise ops.

Same files as gen_ops_extended.py (op_NAME.pt and op_NAME.json), run by lower.test_op_numerics against
libtorch. Index tensors live in the model as buffers (the random integer inputs hold 0-9, often out of
range) or are computed from float inputs (argmax, argsort) when a run-time index is the point. Sorting
fixtures take random floats, which have no ties.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

from op_modules import Fn1, Fn2, f32, i32
from fixture_io import seed_for, up_to_date, write_json, save_scripted


def t(*values):
    return torch.tensor(values)


def index_put(m, x, y):
    q = x.clone()
    q[m.a, m.b] = y
    return q


def index_put_value(m, x):
    q = x.clone()
    q[m.i] = 2.5
    return q


def index_put_mask_value(m, x):
    q = x.clone()
    q[x > 0.5] = -1.0
    return q


def index_put_mask_rows(m, x, y):
    q = x.clone()
    q[m.mask] = y
    return q


def index_put_mask_dim1(m, x):
    # Called directly: q[:, mask] = v traces as index_put_ on a slice view of q.
    return torch.ops.aten.index_put(x, [None, m.mask], torch.tensor(1.5), False)


def unique_rows(m, x):
    u, inverse, counts = torch.unique(m.c, return_inverse=True, return_counts=True)
    return x[inverse] * u.float()[inverse].unsqueeze(1) + counts.float().sum()


def nonzero_pick(m, x):
    nz = torch.nonzero(m.mask)
    rows, cols = torch.nonzero(m.mask, as_tuple=True)
    return x[nz[:, 0], nz[:, 1]] + x[rows, cols]


def inplace_logic(m, x, y):
    a = x > 0
    a &= y > 0
    a |= x > 1
    a ^= y < -1
    return a.float()


def fill_from_tensor(m, x, y):
    return x.clone().fill_(y.sum()) + x.clone().fill_(2.5)


MASK43 = torch.tensor([[True, False, True], [False, False, True], [True, True, False], [False, True, False]])

# name -> (function of (module, *inputs), [(input name, (dtype, shape))], buffers, fp16 check)
CASES = {
    # Advanced indexing.
    "index_single": (lambda m, x: x[m.i], [("x", f32(5, 4, 3))], {"i": t(2, 0, 3, 1, 2)}, True),
    "index_negative_dim1": (lambda m, x: x[:, m.i], [("x", f32(3, 4, 2))], {"i": t(-1, 0, 2)}, True),
    "index_adjacent": (lambda m, x: x[:, m.a, m.b], [("x", f32(2, 5, 4, 3))], {"a": t([0, 1], [4, 2]), "b": t(1, 3)}, True),
    "index_apart": (lambda m, x: x[m.a, :, m.b], [("x", f32(5, 3, 4))], {"a": t(4, 0, 2), "b": t(1, 3, 0)}, True),
    "index_bool_mask": (lambda m, x: x[m.mask], [("x", f32(4, 3, 2))], {"mask": MASK43}, True),
    "index_ellipsis_mask": (lambda m, x: x[..., m.mask], [("x", f32(2, 3, 5))], {"mask": t(True, False, True, True, False)}, True),
    "index_runtime": (lambda m, x, y: x[y.argmax(1)] + x[:, y.argmin(1)].sum(), [("x", f32(6, 6)), ("y", f32(3, 6))], {}, False),
    "index_int": (lambda m, x: x[m.i, m.j], [("x", i32(5, 4))], {"i": t(4, 0, 1), "j": t(3, 3, 0)}, False),
    # index_put (x[indices] = values).
    "index_put": (index_put, [("x", f32(4, 5)), ("y", f32(2))], {"a": t(3, 0), "b": t(1, 4)}, True),
    "index_put_value": (index_put_value, [("x", f32(5, 3))], {"i": t(0, 3)}, True),
    "index_put_accumulate": (lambda m, x, y: torch.index_put(x, (m.i,), y, accumulate=True),
                             [("x", f32(4, 3)), ("y", f32(3, 3))], {"i": t(0, 2, 0)}, True),
    "index_put_mask_value": (index_put_mask_value, [("x", f32(3, 4))], {}, False),
    "index_put_mask_rows": (index_put_mask_rows, [("x", f32(4, 3, 2)), ("y", f32(6, 2))], {"mask": MASK43}, True),
    "index_put_mask_dim1": (index_put_mask_dim1, [("x", f32(2, 3, 4))], {"mask": t(False, True, True)}, True),
    # scatter family.
    "scatter_src": (lambda m, x, y: torch.scatter(x, 1, m.i, y), [("x", f32(3, 5)), ("y", f32(3, 4))],
                    {"i": t([0, 4], [1, 2], [3, 0])}, True),
    "scatter_partial": (lambda m, x, y: x.scatter(1, m.i, y), [("x", f32(3, 5)), ("y", f32(2, 2))], {"i": t([0, 4], [2, 1])}, True),
    "scatter_value": (lambda m, x: x.scatter(0, m.i, 1.5), [("x", f32(4, 3))], {"i": t([3, 0, 1])}, True),
    "scatter_reduce_add": (lambda m, x, y: x.scatter(1, m.i, y, reduce="add"), [("x", f32(2, 4)), ("y", f32(2, 3))],
                           {"i": t([0, 0, 3], [2, 1, 2])}, True),
    "scatter_value_multiply": (lambda m, x: x.scatter(1, m.i, 2.0, reduce="multiply"), [("x", f32(2, 4))],
                               {"i": t([0, 0, 3], [2, 1, 2])}, True),
    "scatter_add": (lambda m, x, y: torch.scatter_add(x, 0, m.i, y), [("x", f32(3, 4)), ("y", f32(2, 4))],
                    {"i": t([0, 2, 0, 1], [0, 0, 2, 1])}, True),
    "scatter_runtime_index": (lambda m, x, y: x.scatter(1, y.argsort(dim=1)[:, :2], y), [("x", f32(3, 5)), ("y", f32(3, 5))], {}, False),
    "select_scatter": (lambda m, x, y: torch.select_scatter(x, y, 1, 2), [("x", f32(3, 4, 5)), ("y", f32(3, 5))], {}, True),
    "slice_scatter": (lambda m, x, y: torch.ops.aten.slice_scatter(x, y, 1, 1, 3), [("x", f32(3, 4, 5)), ("y", f32(3, 2, 5))], {}, True),
    "slice_scatter_step": (lambda m, x, y: torch.ops.aten.slice_scatter(x, y, 2, 0, None, 2), [("x", f32(3, 4, 5)), ("y", f32(3, 4, 3))], {}, True),
    "masked_scatter": (lambda m, x, y: x.masked_scatter(x > 0, y), [("x", f32(3, 4)), ("y", f32(14))], {}, False),
    "masked_scatter_broadcast": (lambda m, x, y: x.masked_scatter(m.mask, y), [("x", f32(2, 4, 3)), ("y", f32(2, 12))], {"mask": MASK43}, True),
    # Reordering.
    "roll": (lambda m, x: torch.roll(x, shifts=(1, -2), dims=(0, 2)), [("x", f32(3, 2, 5))], {}, True),
    "roll_flat": (lambda m, x: torch.roll(x, 3), [("x", f32(3, 4))], {}, True),
    "fliplr": (lambda m, x: torch.fliplr(x), [("x", f32(3, 4, 2))], {}, True),
    "numpy_t": (lambda m, x: x.T, [("x", f32(2, 3, 4))], {}, True),
    # Sorting.
    "argsort": (lambda m, x: torch.argsort(x, dim=1, descending=True), [("x", f32(3, 6, 2))], {}, False),
    "argsort_stable": (lambda m, x: torch.argsort(x, dim=-1, stable=True), [("x", f32(3, 6))], {}, False),
    "sort": (lambda m, x: torch.sort(x, dim=0), [("x", f32(5, 3))], {}, False),
    "sort_stable_descending": (lambda m, x: torch.sort(x, dim=-1, descending=True, stable=True), [("x", f32(2, 7))], {}, False),
    "topk": (lambda m, x: torch.topk(x, 3, dim=1), [("x", f32(2, 6, 3))], {}, False),
    "topk_smallest": (lambda m, x: torch.topk(x, 2, dim=-1, largest=False), [("x", f32(3, 5))], {}, False),
    "searchsorted": (lambda m, x: torch.searchsorted(m.seq, x) + torch.searchsorted(m.seq, x, right=True),
                     [("x", f32(3, 4))], {"seq": t(-1.5, -0.7, -0.1, 0.2, 0.9, 1.6)}, False),
    "searchsorted_rows": (lambda m, x, y: torch.searchsorted(torch.sort(y, dim=-1).values, x, side="right"),
                          [("x", f32(2, 4)), ("y", f32(2, 6))], {}, False),
    # Constants with data-dependent sizes.
    "nonzero": (nonzero_pick, [("x", f32(4, 3))], {"mask": MASK43}, True),
    "unique": (unique_rows, [("x", f32(5, 3))], {"c": t(3, 1, 3, 0, 1, 4)}, True),
    # Building and reshaping.
    "one_hot": (lambda m, x: F.one_hot(x.argmax(-1), 6), [("x", f32(2, 3, 6))], {}, False),
    "tile": (lambda m, x: torch.tile(x, (2,)) + x.tile((2, 1, 2)), [("x", f32(2, 3))], {}, True),
    "repeat_interleave_int": (lambda m, x: torch.repeat_interleave(x, 2, dim=1), [("x", f32(2, 3, 2))], {}, True),
    "repeat_interleave_flat": (lambda m, x: x.repeat_interleave(3), [("x", f32(2, 3))], {}, True),
    "repeat_interleave_tensor": (lambda m, x: x.repeat_interleave(m.r, dim=0), [("x", f32(3, 2))], {"r": t(1, 3, 2)}, True),
    "tensor_split_sections": (lambda m, x: torch.tensor_split(x, 3, dim=1), [("x", f32(2, 7))], {}, True),
    "tensor_split_indices": (lambda m, x: torch.tensor_split(x, [1, 4]), [("x", f32(6, 2))], {}, True),
    "unflatten": (lambda m, x: x.unflatten(1, (2, -1)), [("x", f32(3, 8, 2))], {}, True),
    "diagonal": (lambda m, x: torch.diagonal(x, offset=1, dim1=1, dim2=2), [("x", f32(2, 4, 5))], {}, True),
    "diagonal_below": (lambda m, x: torch.diagonal(x, -1), [("x", f32(4, 5))], {}, True),
    "trace": (lambda m, x: torch.trace(x).reshape(1) * x, [("x", f32(4, 5))], {}, True),
    "eye": (lambda m, x: x + torch.eye(3, 4) + torch.eye(3, 4, dtype=torch.int32), [("x", f32(3, 4))], {}, True),
    "linspace": (lambda m, x: x * torch.linspace(-1, 2, 5), [("x", f32(3, 5))], {}, True),
    "meshgrid_xy": (lambda m, x, y: torch.stack(torch.meshgrid(x, y, indexing="xy")), [("x", f32(4)), ("y", f32(3))], {}, True),
    "meshgrid_ij": (lambda m, x, y: torch.stack(torch.meshgrid(x, y, indexing="ij")), [("x", f32(4)), ("y", f32(3))], {}, True),
    "broadcast_tensors": (lambda m, x, y: torch.stack(torch.broadcast_tensors(x, y)), [("x", f32(3, 1)), ("y", f32(4))], {}, True),
    "atleast": (lambda m, x, y: torch.atleast_1d(x.sum()) + torch.atleast_2d(x[0]).sum() + torch.atleast_3d(y).sum()
                + torch.atleast_2d([x, y])[1].sum() + torch.atleast_1d([x, y])[0].sum() + torch.atleast_3d([x])[0].sum(),
                [("x", f32(2, 3)), ("y", f32(2, 3))], {}, True),
    "hstack": (lambda m, x, y: torch.hstack([x, y]), [("x", f32(2, 3)), ("y", f32(2, 4))], {}, True),
    "hstack_1d": (lambda m, x, y: torch.hstack([x, y]), [("x", f32(3)), ("y", f32(2))], {}, True),
    "fill": (fill_from_tensor, [("x", f32(2, 3)), ("y", f32(2))], {}, True),
    "shape_as_tensor": (lambda m, x, y: torch._reshape_from_tensor(x, torch._shape_as_tensor(y)) + y,
                        [("x", f32(2, 6)), ("y", f32(3, 4))], {}, True),
    # Scans.
    "cumprod": (lambda m, x: torch.cumprod(x, dim=1), [("x", f32(2, 5))], {}, True),
    "cumprod_int": (lambda m, x: torch.cumprod(x, dim=-1), [("x", i32(2, 4))], {}, False),
    "logcumsumexp": (lambda m, x: torch.logcumsumexp(x, dim=1) + torch._logcumsumexp(x, 0), [("x", f32(3, 6))], {}, True),
    # In-place logic on bools.
    "inplace_logic": (inplace_logic, [("x", f32(3, 4)), ("y", f32(3, 4))], {}, False),
}


# Models whose conversion must stop with a clear error (data-dependent sizes Core ML cannot express):
# err_index_NAME.pt, converted by tests/lower/test_index_conversion_errors.cpp.
ERRORS = {
    "nonzero_runtime": (lambda m, x: torch.nonzero(x > 0).float(), [("x", f32(3, 4))], {}),
    "unique_runtime": (lambda m, x: torch.unique(x), [("x", f32(6))], {}),
    "mask_index_runtime": (lambda m, x: x[x > 0], [("x", f32(3, 4))], {}),
    "repeat_interleave_runtime": (lambda m, x, y: x.repeat_interleave(y.argmax(1) + 1, dim=0), [("x", f32(3, 2)), ("y", f32(3, 4))], {}),
    "one_hot_no_classes": (lambda m, x: F.one_hot(x.argmax(-1)), [("x", f32(2, 5))], {}),
}


def describe(result):
    results = result if isinstance(result, (tuple, list)) else (result,)
    return [{"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape)} for r in results]


def build(name, fn, inputs, buffers, fp16, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = (Fn1 if len(inputs) == 1 else Fn2)(fn, buffers).eval()
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
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": describe(result),
        "fp16": fp16,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "op_modules.py")]
    for name, (fn, inputs, buffers, fp16) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, buffers, fp16, outdir)
    for name, (fn, inputs, buffers) in ERRORS.items():
        path = os.path.join(outdir, f"err_index_{name}.pt")
        if up_to_date([path], sources):
            continue
        torch.manual_seed(seed_for("err_" + name))
        module = (Fn1 if len(inputs) == 1 else Fn2)(fn, buffers).eval()
        args = [torch.randn(*shape) for _, (_, shape) in inputs]
        with torch.no_grad():
            save_scripted(torch.jit.trace(module, tuple(args), check_trace=False), path)
