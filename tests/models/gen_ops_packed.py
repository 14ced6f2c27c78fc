"""Op fixtures for packed sequences: pack_padded_sequence -> LSTM/GRU/RNN -> pad_packed_sequence.

The lengths are a buffer of the module (a graph constant after freezing), of varied values, so each
sequence stops at its own length: lower.test_op_numerics compares the padded outputs, the lengths and
the final states with libtorch. Traced and scripted, batch_first and time-major, bidirectional,
stacked, enforce_sorted True (sorted lengths) and False (any order, the batch is sorted and unsorted
around the layer), a longest length shorter than the padded batch, total_length past it, an initial
state given as an input, and a Linear applied to the packed data itself.

packed_runtime_*.pt take the lengths as a model input instead; lower.test_packed_sequences converts
them and compares with libtorch for chosen lengths (random integers would not be valid lengths).
"""
import os

import numpy
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from fixture_io import seed_for, up_to_date, write_atomically, write_json, save_scripted


class Packed(nn.Module):
    """A recurrent layer over the packed batch; returns the padded output, the lengths and the final states."""

    def __init__(self, layer, lengths, enforce_sorted=True, total_length=None, project=None):
        super().__init__()
        self.layer = layer
        self.register_buffer("lengths", torch.tensor(lengths, dtype=torch.int64))
        self.enforce_sorted = enforce_sorted
        self.total_length = total_length
        self.project = project

    def forward(self, x):
        batch_first = self.layer.batch_first
        packed = pack_padded_sequence(x, self.lengths, batch_first=batch_first, enforce_sorted=self.enforce_sorted)
        if self.project is not None:
            packed = PackedSequence(self.project(packed.data), packed.batch_sizes, packed.sorted_indices,
                                    packed.unsorted_indices)
        out, state = self.layer(packed)
        padded, lengths = pad_packed_sequence(out, batch_first=batch_first, total_length=self.total_length)
        if isinstance(state, tuple):
            return padded, lengths, state[0], state[1]
        return padded, lengths, state


class PackedFromH(nn.Module):
    """A GRU over the packed batch from a given initial state (which the unsorting permutes too)."""

    def __init__(self, layer, lengths):
        super().__init__()
        self.layer = layer
        self.register_buffer("lengths", torch.tensor(lengths, dtype=torch.int64))

    def forward(self, x, h0):
        packed = pack_padded_sequence(x, self.lengths, batch_first=self.layer.batch_first, enforce_sorted=False)
        out, h = self.layer(packed, h0)
        padded, lengths = pad_packed_sequence(out, batch_first=self.layer.batch_first)
        return padded, lengths, h


class PackedRunTimeLengths(nn.Module):
    """Lengths given with the batch, as models served with variable-length inputs take them."""

    def __init__(self, layer, enforce_sorted):
        super().__init__()
        self.layer = layer
        self.enforce_sorted = enforce_sorted

    def forward(self, x, lengths):
        batch_first = self.layer.batch_first
        packed = pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=self.enforce_sorted)
        out, state = self.layer(packed)
        padded, lengths = pad_packed_sequence(out, batch_first=batch_first, total_length=x.shape[1 if batch_first else 0])
        return padded, lengths, state[0] if isinstance(state, tuple) else state


class PackedDataRead(nn.Module):
    """Reads the packed data directly: with lengths at run time this cannot be converted (a clear error)."""

    def __init__(self):
        super().__init__()
        self.layer = nn.GRU(3, 4)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths)
        return torch.relu(packed.data)


# name -> (module factory, input shapes, scripted, fp16)
FIXTURES = {
    "packed_lstm_batch_first": (lambda: Packed(nn.LSTM(3, 4, num_layers=2, batch_first=True), [5, 4, 2]),
                                [(3, 5, 3)], False, True),
    "packed_lstm_bidirectional_unsorted": (lambda: Packed(nn.LSTM(3, 4, bidirectional=True), [2, 5, 3, 5], False),
                                           [(5, 4, 3)], False, False),
    "packed_lstm_stacked_bidirectional_batch_first": (
        lambda: Packed(nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True), [1, 6, 3], False),
        [(3, 6, 3)], False, False),
    "packed_gru_bidirectional_shorter": (
        lambda: Packed(nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True), [3, 1, 4], False),
        [(3, 5, 3)], False, False),
    "packed_gru_total_length": (lambda: Packed(nn.GRU(4, 3), [4, 4, 2], True, total_length=7), [(5, 3, 4)], False, False),
    "packed_gru_initial_state": (lambda: PackedFromH(nn.GRU(3, 4, bidirectional=True, batch_first=True), [2, 4, 3]),
                                 [(3, 4, 3), (2, 3, 4)], False, False),
    "packed_rnn_tanh": (lambda: Packed(nn.RNN(3, 4, num_layers=2), [4, 3, 1], True), [(4, 3, 3)], False, False),
    "packed_rnn_relu_unsorted": (lambda: Packed(nn.RNN(3, 4, nonlinearity="relu", bidirectional=True), [2, 4, 1], False),
                                 [(4, 3, 3)], False, False),
    "packed_lstm_projected_data": (
        lambda: Packed(nn.LSTM(6, 4, batch_first=True), [3, 5, 2], False, project=nn.Linear(3, 6)),
        [(3, 5, 3)], False, False),
    "packed_lstm_scripted": (lambda: Packed(nn.LSTM(3, 4, bidirectional=True, batch_first=True), [4, 2, 3], False),
                             [(3, 4, 3)], True, False),
    "packed_gru_scripted": (lambda: Packed(nn.GRU(3, 4, num_layers=2), [3, 3, 1], True), [(3, 3, 3)], True, False),
}

# name -> (module factory, x shape, lengths of each input set written beside it as NAME.inputsK.npz)
RUNTIME = {
    "packed_runtime_lstm_sorted": (lambda: PackedRunTimeLengths(nn.LSTM(3, 4, num_layers=2, batch_first=True), True),
                                   (3, 5, 3), [[5, 3, 1], [4, 4, 2]]),
    "packed_runtime_gru_bidirectional_unsorted": (
        lambda: PackedRunTimeLengths(nn.GRU(3, 4, bidirectional=True), False), (5, 4, 3), [[2, 5, 1, 3], [3, 3, 4, 1]]),
}


def outputs_of(result):
    return [{"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape)} for r in result]


def build(name, factory, shapes, scripted, fp16, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = factory().eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    args = tuple(torch.randn(*s, generator=gen) for s in shapes)
    with torch.no_grad():
        saved = torch.jit.script(module) if scripted else torch.jit.trace(module, args)
        result = module(*args)
    save_scripted(saved, os.path.join(outdir, f"op_{name}.pt"))
    names = ["x", "h0"][:len(shapes)]
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": "float32", "shape": list(s)} for n, s in zip(names, shapes)],
        "outputs": outputs_of(result),
        "fp16": fp16,
    })


def build_runtime(name, factory, shape, input_lengths, outdir):
    torch.manual_seed(seed_for(name))
    module = factory().eval()
    batch = shape[0] if module.layer.batch_first else shape[1]
    steps = shape[1] if module.layer.batch_first else shape[0]
    x = torch.randn(*shape)
    lengths = torch.arange(steps, steps - batch, -1, dtype=torch.int64).clamp(min=1)
    with torch.no_grad():
        traced = torch.jit.trace(module, (x, lengths))
    save_scripted(traced, os.path.join(outdir, f"{name}.pt"))
    for k, values in enumerate(input_lengths):
        path = os.path.join(outdir, f"{name}.inputs{k}.npz")
        arrays = {"x": torch.randn(*shape).numpy(), "lengths": numpy.array(values, dtype=numpy.int64)}
        write_atomically(path, lambda tmp: numpy.savez(open(tmp, "wb"), **arrays))


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (factory, shapes, scripted, fp16) in FIXTURES.items():
        if not up_to_date([os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")], sources):
            build(name, factory, shapes, scripted, fp16, outdir)
    for name, (factory, shape, input_lengths) in RUNTIME.items():
        outputs = [os.path.join(outdir, f) for f in [f"{name}.pt"] + [f"{name}.inputs{k}.npz" for k in range(len(input_lengths))]]
        if not up_to_date(outputs, sources):
            build_runtime(name, factory, shape, input_lengths, outdir)
    path = os.path.join(outdir, "packed_runtime_data_read.pt")
    if not up_to_date([path], sources):
        torch.manual_seed(seed_for("packed_runtime_data_read"))
        x, lengths = torch.randn(4, 2, 3), torch.tensor([4, 2])
        with torch.no_grad():
            save_scripted(torch.jit.trace(PackedDataRead().eval(), (x, lengths)), path)
