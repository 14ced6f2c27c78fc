"""Op-level fixtures for the vision and NN ops of the coverage work: padding, resampling (1-D,
bicubic, antialiased, grid sampling, affine grids), pixel shuffling, patches (im2col, col2im,
Tensor.unfold), normalization forms, functional activations and torchvision's detection ops.

Same files as gen_ops_extended.py (op_NAME.pt and op_NAME.json), so lower.test_op_numerics converts
each and compares it with libtorch in fp32, and in fp16 where "fp16" is true.
"""
import os

import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Fn(nn.Module):
    """A function of the inputs (and parameters/buffers) as a module to trace."""

    def __init__(self, fn, **tensors):
        super().__init__()
        self.fn = fn
        for k, v in tensors.items():
            self.register_parameter(k, nn.Parameter(v, requires_grad=False))


class Fn1(Fn):
    def forward(self, x):  # explicit names: the converter's inputs are named after them
        return self.fn(self, x)


class Fn2(Fn):
    def forward(self, x, y):
        return self.fn(self, x, y)


def f32(*shape):
    return ("float32", shape)


def interp(**kw):
    return lambda m, x: F.interpolate(x, **kw)


def native_group_norm(m, x):
    n, c, h, w = x.shape
    return torch.native_group_norm(x, m.w, m.b, n, c, h * w, 2, 1e-5)[0]


def weight_norm_interface(m, v):
    w, norm = torch._weight_norm_interface(v, m.g, 0)
    return w + norm.sum()


# Boxes (batch index, x1, y1, x2, y2) in input-image pixels; some reach past the feature map's edges.
ROIS = torch.tensor([[0, 1.0, 2.0, 9.0, 7.0], [1, -3.0, 0.5, 4.0, 12.5], [0, 10.0, 6.0, 15.5, 15.0],
                     [1, 2.2, 3.1, 2.9, 3.3]])


def deform_conv(m, x, offset, stride=1, padding=1, dilation=1):
    taps = m.w.shape[2] * m.w.shape[3]
    groups = offset.shape[1] // (2 * taps)
    # mask=None would trace as an empty aten::zeros([N, 0]), which Core ML cannot hold.
    mask = torch.sigmoid(offset[:, :groups * taps] * 3.0)
    return torchvision.ops.deform_conv2d(x, offset * 2.0, m.w, m.b, stride=stride, padding=padding, dilation=dilation,
                                         mask=mask)


# name -> (function of (module, *inputs), [(input name, (dtype, shape))], parameters, fp16 check)
CASES = {
    # padding
    "constant_pad_nd": (lambda m, x: F.pad(x, (1, 2, 0, 3), value=0.5) * 1.0, [("x", f32(1, 2, 4, 5))], {}, True),
    "constant_pad_nd_crop": (lambda m, x: torch.constant_pad_nd(x, [-1, 2, 1, -2]), [("x", f32(2, 5, 6))], {}, True),
    "pad_reflect_2d": (lambda m, x: F.pad(x, (2, 1, 1, 3), mode="reflect"), [("x", f32(1, 2, 5, 6))], {}, True),
    "pad_replicate_2d": (lambda m, x: F.pad(x, (2, 1, 1, 3), mode="replicate"), [("x", f32(1, 2, 5, 6))], {}, True),
    "pad_circular_2d": (lambda m, x: F.pad(x, (2, 1, 1, 3), mode="circular"), [("x", f32(1, 2, 5, 6))], {}, True),
    "pad_reflect_3d": (lambda m, x: F.pad(x, (1, 1, 2, 0, 1, 2), mode="reflect"), [("x", f32(1, 2, 4, 5, 4))], {}, True),
    "reflection_pad1d": (lambda m, x: torch.ops.aten.reflection_pad1d(x, [3, 2]), [("x", f32(2, 3, 7))], {}, True),
    "reflection_pad2d": (lambda m, x: torch.ops.aten.reflection_pad2d(x, [1, 2, 3, 0]), [("x", f32(1, 3, 5, 6))], {}, True),
    "replication_pad1d": (lambda m, x: torch.ops.aten.replication_pad1d(x, [0, 4]), [("x", f32(2, 3, 5))], {}, True),
    "replication_pad2d": (lambda m, x: torch.ops.aten.replication_pad2d(x, [2, 2, 1, 3]), [("x", f32(1, 3, 4, 5))],
                          {}, True),
    # resampling
    "upsample_nearest1d_scale": (interp(scale_factor=2.5, mode="nearest"), [("x", f32(1, 3, 6))], {}, True),
    "upsample_nearest1d_size": (interp(size=11, mode="nearest"), [("x", f32(2, 3, 4))], {}, True),
    "upsample_linear1d": (interp(size=13, mode="linear", align_corners=False), [("x", f32(1, 3, 5))], {}, True),
    "upsample_linear1d_align": (interp(scale_factor=1.7, mode="linear", align_corners=True), [("x", f32(2, 2, 6))],
                                {}, True),
    "upsample_linear1d_down": (interp(size=4, mode="linear"), [("x", f32(1, 2, 9))], {}, True),
    "upsample_bicubic2d": (interp(scale_factor=2, mode="bicubic", align_corners=False), [("x", f32(1, 2, 5, 6))],
                           {}, True),
    "upsample_bicubic2d_align": (interp(size=(9, 7), mode="bicubic", align_corners=True), [("x", f32(1, 2, 4, 5))],
                                 {}, True),
    "upsample_bicubic2d_down": (interp(size=(3, 5), mode="bicubic"), [("x", f32(1, 2, 7, 8))], {}, True),
    "upsample_bilinear2d_aa_down": (interp(scale_factor=0.4, mode="bilinear", antialias=True), [("x", f32(1, 2, 10, 12))],
                                    {}, True),
    "upsample_bilinear2d_aa_size": (interp(size=(7, 5), mode="bilinear", antialias=True), [("x", f32(1, 2, 9, 11))],
                                    {}, True),
    "upsample_bicubic2d_aa_down": (interp(size=(4, 6), mode="bicubic", antialias=True), [("x", f32(1, 2, 11, 13))],
                                   {}, True),
    "upsample_bicubic2d_aa_up": (interp(scale_factor=1.5, mode="bicubic", antialias=True), [("x", f32(1, 2, 4, 6))],
                                 {}, True),
    "grid_sample_bilinear_zeros": (lambda m, x, g: F.grid_sample(x, g * 1.2, align_corners=False),
                                   [("x", f32(2, 3, 5, 6)), ("y", f32(2, 4, 7, 2))], {}, True),
    "grid_sample_bilinear_border_align": (lambda m, x, g: F.grid_sample(x, g, padding_mode="border", align_corners=True),
                                          [("x", f32(1, 3, 5, 6)), ("y", f32(1, 4, 7, 2))], {}, True),
    "grid_sample_reflection": (lambda m, x, g: F.grid_sample(x, g * 2, padding_mode="reflection", align_corners=False),
                               [("x", f32(1, 2, 5, 6)), ("y", f32(1, 4, 7, 2))], {}, True),
    "grid_sample_reflection_align": (lambda m, x, g: F.grid_sample(x, g * 2, padding_mode="reflection",
                                                                   align_corners=True),
                                     [("x", f32(1, 2, 5, 6)), ("y", f32(1, 4, 7, 2))], {}, True),
    "grid_sample_nearest": (lambda m, x, g: F.grid_sample(x, g, mode="nearest", align_corners=False),
                            [("x", f32(1, 2, 5, 6)), ("y", f32(1, 4, 7, 2))], {}, False),
    "affine_grid_sample": (lambda m, x, t: F.grid_sample(x, F.affine_grid(t, [2, 3, 6, 7], align_corners=False),
                                                         align_corners=False),
                           [("x", f32(2, 3, 5, 6)), ("y", f32(2, 2, 3))], {}, True),
    "affine_grid_align": (lambda m, t: F.affine_grid(t, [1, 3, 4, 5], align_corners=True), [("x", f32(1, 2, 3))],
                          {}, True),
    "pixel_shuffle": (lambda m, x: F.pixel_shuffle(x, 2), [("x", f32(2, 12, 3, 4))], {}, True),
    "pixel_unshuffle": (lambda m, x: F.pixel_unshuffle(x, 3), [("x", f32(1, 2, 6, 9))], {}, True),
    # patches
    "im2col": (lambda m, x: F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [("x", f32(2, 3, 6, 7))],
               {}, True),
    "im2col_unbatched": (lambda m, x: F.unfold(x, 3), [("x", f32(2, 5, 5))], {}, True),
    "col2im": (lambda m, x: F.fold(x, (6, 7), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [("x", f32(2, 18, 20))],
               {}, True),
    "col2im_overlap": (lambda m, x: F.fold(x, (5, 6), 3, stride=2), [("x", f32(1, 18, 4))], {}, True),
    "tensor_unfold": (lambda m, x: x.unfold(1, 3, 2), [("x", f32(2, 8, 4))], {}, True),
    "tensor_unfold_last": (lambda m, x: x.unfold(-1, 2, 1), [("x", f32(3, 5))], {}, True),
    # normalization forms
    "native_group_norm": (native_group_norm, [("x", f32(2, 6, 3, 4))],
                          {"w": torch.rand(6) + 0.5, "b": torch.randn(6)}, True),
    "weight_norm": (lambda m, v: torch._weight_norm(v, m.g, 0), [("x", f32(4, 3, 2, 2))],
                    {"g": torch.rand(4, 1, 1, 1) + 0.5}, True),
    "weight_norm_last_dim": (lambda m, v: torch._weight_norm(v, m.g, 1), [("x", f32(5, 3))], {"g": torch.rand(1, 3)},
                             True),
    "weight_norm_interface": (weight_norm_interface, [("x", f32(4, 6))], {"g": torch.rand(4, 1) + 0.5}, True),
    # torchvision ops
    "roi_align": (lambda m, x: torchvision.ops.roi_align(x, m.rois, (3, 2), spatial_scale=0.5, sampling_ratio=2),
                  [("x", f32(2, 3, 8, 8))], {"rois": ROIS}, True),
    "roi_align_aligned": (lambda m, x: torchvision.ops.roi_align(x, m.rois, 2, spatial_scale=0.5, sampling_ratio=3,
                                                                  aligned=True),
                          [("x", f32(2, 3, 8, 8))], {"rois": ROIS}, True),
    "deform_conv2d": (deform_conv, [("x", f32(1, 4, 6, 7)), ("y", f32(1, 18, 6, 7))],
                      {"w": torch.randn(5, 4, 3, 3) * 0.3, "b": torch.randn(5)}, True),
    "deform_conv2d_groups": (lambda m, x, o: deform_conv(m, x, o, stride=2, padding=(2, 1), dilation=(2, 1)),
                             [("x", f32(1, 4, 8, 7)), ("y", f32(1, 12, 4, 5))],
                             {"w": torch.randn(6, 2, 3, 1) * 0.3, "b": torch.randn(6)}, True),
    # functional activations and similarity
    "glu": (lambda m, x: F.glu(x, dim=1), [("x", f32(2, 6, 3))], {}, True),
    "threshold": (lambda m, x: F.threshold(x, 0.1, -2.0), [("x", f32(2, 7))], {}, True),
    "rrelu_eval": (lambda m, x: F.rrelu(x, 0.1, 0.3, training=False), [("x", f32(2, 7))], {}, True),
    "native_dropout_eval": (lambda m, x: torch.native_dropout(x, 0.3, False)[0] * 2.0, [("x", f32(2, 7))], {}, True),
    "cosine_similarity": (lambda m, x, y: F.cosine_similarity(x, y, dim=1), [("x", f32(2, 5, 3)), ("y", f32(2, 5, 3))],
                          {}, True),
    "cosine_similarity_broadcast": (lambda m, x, y: F.cosine_similarity(x, y, dim=-1),
                                    [("x", f32(3, 4, 6)), ("y", f32(4, 6))], {}, True),
}


def build(name, fn, inputs, params, fp16, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = (Fn1 if len(inputs) == 1 else Fn2)(fn, **params).eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = tuple(torch.randn(*shape, generator=gen) for _, (_, shape) in inputs)
    with torch.no_grad():
        traced = torch.jit.trace(module, args)
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": fp16,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (fn, inputs, params, fp16) in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, params, fp16, outdir)
