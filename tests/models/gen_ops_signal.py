"""Op fixtures for signal processing, complex numbers and random sampling.

Spectral and complex cases (fft*, stft, hann_window, complex, polar, real/imag, view_as_real and
complex arithmetic) return real tensors (view_as_real, abs, real/imag parts), since Core ML models
have only real outputs; lower.test_op_numerics compares them with libtorch like any op fixture.

Random cases (rand, randn, randint, multinomial and the _like forms) cannot match libtorch value for
value. Their op_NAME.json says "check": "distribution" with the parameters libtorch samples from:
the test feeds zero inputs (each model adds its input to the samples or shifts logits by it, so
the zero input leaves the distribution as written here) and checks shape, dtype, range and the
sample statistics of the interpreter's output.
"""
import os

import torch
from torch import nn

from op_modules import Fn1, Fn2, f32
from fixture_io import seed_for, up_to_date, write_json, save_scripted


fft = torch.fft
real = torch.view_as_real


def cx(x, y):
    return torch.complex(x, y)


# name -> (function of (module, *inputs), [(input name, (dtype, shape))])
SPECTRAL = {
    "fft": (lambda m, x: real(fft.fft(x)), [("x", f32(2, 8))]),
    "fft_n_ortho_dim0": (lambda m, x: real(fft.fft(x, n=6, dim=0, norm="ortho")), [("x", f32(5, 3))]),
    "fft_pad_forward": (lambda m, x: real(fft.fft(x, n=12, norm="forward")), [("x", f32(3, 9))]),
    "ifft_complex": (lambda m, x, y: real(fft.ifft(cx(x, y), dim=1)), [("x", f32(2, 7, 3)), ("y", f32(2, 7, 3))]),
    "rfft_abs": (lambda m, x: fft.rfft(x, n=12, norm="forward").abs(), [("x", f32(2, 10))]),
    "rfft_odd": (lambda m, x: real(fft.rfft(x, dim=0)), [("x", f32(9, 2))]),
    "irfft": (lambda m, x, y: fft.irfft(cx(x, y), n=10), [("x", f32(3, 6)), ("y", f32(3, 6))]),
    "irfft_real_input": (lambda m, x: fft.irfft(x, norm="ortho"), [("x", f32(2, 5))]),
    "fftn": (lambda m, x: real(fft.fftn(x, dim=(1, 2))), [("x", f32(2, 4, 6))]),
    "ifftn": (lambda m, x, y: fft.ifftn(cx(x, y), s=(4, 5)).real + fft.ifftn(cx(x, y), s=(4, 5)).imag,
              [("x", f32(3, 4, 4)), ("y", f32(3, 4, 4))]),
    "rfftn": (lambda m, x: real(fft.rfftn(x)), [("x", f32(3, 4, 6))]),
    "irfftn": (lambda m, x, y: fft.irfftn(cx(x, y), s=(4, 6)), [("x", f32(2, 4, 4)), ("y", f32(2, 4, 4))]),
    "stft_hann": (lambda m, x: torch.stft(x, 16, hop_length=4, window=torch.hann_window(16), center=False,
                                          return_complex=True).abs(), [("x", f32(2, 64))]),
    "stft_short_window": (lambda m, x: real(torch.stft(x, 16, win_length=12, window=torch.hann_window(12, periodic=False),
                                                       center=False, normalized=True, onesided=False,
                                                       return_complex=True)), [("x", f32(50))]),
    "stft_center": (lambda m, x: real(torch.stft(x, 16, hop_length=5, window=torch.hann_window(16), return_complex=True)),
                    [("x", f32(2, 48))]),
    "hann_window": (lambda m, x: x * torch.hann_window(8) + torch.hann_window(8, periodic=False), [("x", f32(3, 8))]),
    "polar": (lambda m, x, y: real(torch.polar(x.abs(), y)), [("x", f32(2, 5)), ("y", f32(2, 5))]),
    "complex_parts": (lambda m, x, y: cx(x, y).real * 2 + cx(x, y).imag + x.real, [("x", f32(2, 5)), ("y", f32(2, 5))]),
    "complex_arithmetic": (lambda m, x, y: real(fft.fft(x) * fft.fft(y) + cx(x, y) - fft.fft(x) * 0.5),
                           [("x", f32(3, 6)), ("y", f32(3, 6))]),
}
FP16 = {"fft", "rfft_abs", "stft_hann", "complex_arithmetic"}

PROBS_LOGITS = torch.tensor([[0.0, 1.0, -1.0, 2.0, 0.5], [1.5, 1.5, -2.0, 0.0, 0.0]])

# name -> (function, inputs, {"kind": ..., parameters}, buffers). Each model's samples are independent of
# its input's values, which the test sets to zero.
RANDOM = {
    "rand": (lambda m, x: x + torch.rand(200, 100), [("x", f32(200, 100))], {"kind": "uniform", "low": 0.0, "high": 1.0}, {}),
    "rand_like_scaled": (lambda m, x: torch.rand_like(x) * 4 - 2 + x, [("x", f32(100, 150))],
                         {"kind": "uniform", "low": -2.0, "high": 2.0}, {}),
    "randn": (lambda m, x: x + torch.randn(200, 100) * 2 + 1, [("x", f32(200, 100))], {"kind": "normal", "mean": 1.0, "std": 2.0}, {}),
    "randn_like": (lambda m, x: torch.randn_like(x) + x, [("x", f32(160, 125))], {"kind": "normal", "mean": 0.0, "std": 1.0}, {}),
    "randint_low": (lambda m, x: torch.randint(-3, 4, (200, 100)) + x.long(), [("x", f32(200, 100))],
                    {"kind": "integers", "low": -3, "high": 4}, {}),
    "randint": (lambda m, x: torch.randint(10, (150, 100)) + x.long(), [("x", f32(150, 100))],
                {"kind": "integers", "low": 0, "high": 10}, {}),
    "multinomial": (lambda m, x: torch.multinomial(torch.softmax(m.logits + x, -1), 8000, True), [("x", f32(2, 5))],
                    {"kind": "categorical", "probs": torch.softmax(PROBS_LOGITS, -1).tolist()}, {"logits": PROBS_LOGITS}),
}


def build(name, fn, inputs, outdir, extra, buffers=None):
    torch.manual_seed(seed_for("op_" + name))
    module = (Fn1 if len(inputs) == 1 else Fn2)(fn, buffers).eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = [torch.randn(*shape, generator=gen) for _, (_, shape) in inputs]
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(args), check_trace=False)  # random ops differ run to run
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    spec = {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": [{"dtype": str(result.dtype).replace("torch.", ""), "shape": list(result.shape)}],
    }
    spec.update(extra)
    write_json(os.path.join(outdir, f"op_{name}.json"), spec)


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "op_modules.py")]
    cases = [(name, fn, inputs, {"fp16": name in FP16}, None) for name, (fn, inputs) in SPECTRAL.items()]
    cases += [(name, fn, inputs, {"check": "distribution", "distribution": dist}, buffers)
              for name, (fn, inputs, dist, buffers) in RANDOM.items()]
    for name, fn, inputs, extra, buffers in cases:
        files = [os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")]
        if up_to_date(files, sources):
            continue
        build(name, fn, inputs, outdir, extra, buffers)
    generate_rejected(outdir)


# Models the converter must reject with a clear message (tests/lower/test_signal_ops.cpp); not op fixtures.
REJECTED = {
    "signal_complex_output": (lambda m, x: fft.fft(x), [("x", f32(2, 8))]),
    "signal_complex_into_exp": (lambda m, x: torch.exp(fft.rfft(x)).real, [("x", f32(2, 8))]),
    "signal_multinomial_no_replacement": (lambda m, x: torch.multinomial(torch.softmax(x, -1), 3), [("x", f32(2, 5))]),
}


def generate_rejected(outdir):
    here = os.path.abspath(__file__)
    sources = [here] + [os.path.join(os.path.dirname(here), f) for f in ("fixture_io.py", "op_modules.py")]
    for name, (fn, inputs) in REJECTED.items():
        path = os.path.join(outdir, f"{name}.pt")
        if up_to_date([path], sources):
            continue
        module = (Fn1 if len(inputs) == 1 else Fn2)(fn).eval()
        args = [torch.randn(*shape) for _, (_, shape) in inputs]
        with torch.no_grad():
            save_scripted(torch.jit.trace(module, tuple(args), check_trace=False), path)
