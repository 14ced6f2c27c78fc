"""Op-level fixtures for torchvision's non-maximum suppression (torchvision::nms, and batched_nms,
which traces to per-class coordinate offsets plus torchvision::nms).

The kept indices' count depends on the data, so each model builds valid boxes (x1 < x2, y1 < y2)
from whatever inputs it gets: lower.test_op_numerics runs it on random normal inputs and compares the
kept indices (their number and values) with libtorch's.
"""
import os

import torch
import torchvision
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted

BOXES = 24  # corners mostly within [-2, 2] and sides of 0.5 to ~3: many overlaps


def corner_boxes(raw):
    """(x1, y1) from the first two columns, width and height from the absolute last two, plus 0.5."""
    top_left = raw[:, :2]
    return torch.cat([top_left, top_left + raw[:, 2:].abs() + 0.5], dim=1)


class Nms(nn.Module):
    def __init__(self, iou, tie_scores=False):
        super().__init__()
        self.iou = iou
        self.tie_scores = tie_scores

    def forward(self, raw, s):
        # Rounded scores tie often: torchvision keeps equal scores in index order (a stable sort).
        scores = torch.round(s * 2.0) if self.tie_scores else s
        return torchvision.ops.nms(corner_boxes(raw), scores, self.iou)


class BatchedNms(nn.Module):
    def __init__(self, iou):
        super().__init__()
        self.iou = iou
        self.register_buffer("classes", torch.arange(BOXES) % 3)

    def forward(self, raw, s):
        return torchvision.ops.batched_nms(corner_boxes(raw), s, self.classes, self.iou)


# name -> module factory
CASES = {
    "nms": lambda: Nms(0.3),
    "nms_loose": lambda: Nms(0.5),
    "nms_tied_scores": lambda: Nms(0.3, tie_scores=True),
    "batched_nms": lambda: BatchedNms(0.4),
}


def build(name, factory, outdir):
    gen = torch.Generator().manual_seed(seed_for(name))
    args = (torch.randn(BOXES, 4, generator=gen), torch.randn(BOXES, generator=gen))
    module = factory().eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, args)
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": "raw", "dtype": "float32", "shape": [BOXES, 4]},
                   {"name": "s", "dtype": "float32", "shape": [BOXES]}],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
        "fp16": False,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, factory in CASES.items():
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if not up_to_date(files, sources):
            build(name, factory, outdir)
