"""Whole models the coverage issue must convert (random init, no downloads), with reference outputs.

For each model NAME: zoo_NAME.pt (traced in eval mode), zoo_NAME.json (input shape and seed) and
zoo_NAME.input.npy / zoo_NAME.output.npy (a seeded input and the model's output on it).
Transformers: torchvision ViT-B/16 and Swin-T. Segmentation: DeepLabV3 (ResNet-50 backbone,
dilated convolutions, ASPP) and LR-ASPP MobileNetV3-Large, returning their "out" map. And a small
U-Net with bilinear upsampling and concatenated skips. Batch norms are randomised and calibrated
like the torchvision classifiers (gen_torchvision.randomise_batch_norm), for the same reasons.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from fixture_io import seed_for, up_to_date, write_atomically, write_json, save_scripted
from gen_torchvision import randomise_batch_norm


class SegmentationOut(nn.Module):
    """torchvision's segmentation models return a dict; deployed models return its "out" map."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def conv_block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Three resolutions down, two up: bilinear upsampling, skips joined by concatenation."""

    def __init__(self, width=16, classes=3):
        super().__init__()
        self.down1 = conv_block(3, width)
        self.down2 = conv_block(width, 2 * width)
        self.bottom = conv_block(2 * width, 4 * width)
        self.up2 = conv_block(6 * width, 2 * width)
        self.up1 = conv_block(3 * width, width)
        self.head = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(F.max_pool2d(d1, 2))
        b = self.bottom(F.max_pool2d(d2, 2))
        u2 = self.up2(torch.cat([F.interpolate(b, scale_factor=2.0, mode="bilinear", align_corners=False), d2], 1))
        u1 = self.up1(torch.cat([F.interpolate(u2, scale_factor=2.0, mode="bilinear", align_corners=False), d1], 1))
        return self.head(u1)


def vit_b_16():
    model = torchvision.models.vit_b_16(weights=None)
    # torchvision starts the classifier head at zero (every output 0 whatever the input): give it the
    # small random weights a trained head has, so the comparison sees the whole network.
    nn.init.normal_(model.heads.head.weight, std=0.02)
    return model


seg = torchvision.models.segmentation
MODELS = {
    "vit_b_16": (vit_b_16, (1, 3, 224, 224)),
    "swin_t": (lambda: torchvision.models.swin_t(weights=None), (1, 3, 224, 224)),
    "deeplabv3_resnet50": (lambda: SegmentationOut(
        seg.deeplabv3_resnet50(weights=None, weights_backbone=None, aux_loss=False)), (1, 3, 256, 256)),
    "lraspp_mobilenet_v3_large": (lambda: SegmentationOut(
        seg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)), (1, 3, 256, 256)),
    "unet": (UNet, (1, 3, 96, 96)),
}


def build(name):
    factory, shape = MODELS[name]
    seed = seed_for("zoo_" + name)
    torch.manual_seed(seed)
    model = factory()
    randomise_batch_norm(model, torch.Generator().manual_seed(seed + 1), shape)
    model.eval()
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        traced = torch.jit.trace(model, x, check_trace=False)
        y = traced(x)
    if not torch.isfinite(y).all():
        raise RuntimeError(f"zoo_{name}: reference output is not finite")
    return traced, x.numpy(), y.numpy(), seed + 2


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "gen_torchvision.py")]
    for name, (_, shape) in MODELS.items():
        stem = os.path.join(outdir, f"zoo_{name}")
        outputs = [stem + ext for ext in (".pt", ".json", ".input.npy", ".output.npy")]
        if up_to_date(outputs, sources):
            continue
        traced, x, y, input_seed = build(name)
        write_atomically(stem + ".input.npy", lambda tmp: np.save(open(tmp, "wb"), x))
        write_atomically(stem + ".output.npy", lambda tmp: np.save(open(tmp, "wb"), y))
        write_json(stem + ".json", {
            "model": f"zoo_{name}.pt",
            "input_name": "x",
            "input_shape": list(shape),
            "input_seed": input_seed,
            "output_shape": list(y.shape),
        })
        save_scripted(traced, stem + ".pt")  # last: its presence marks the set complete
