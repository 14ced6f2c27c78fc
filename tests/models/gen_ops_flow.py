"""Op fixtures for recurrent layers and TorchScript control flow.

Recurrent layers (traced): nn.LSTM, nn.GRU and nn.RNN (tanh and relu) with stacked layers, batch_first,
bidirectional, without bias, and with initial states given as model inputs or left to zeros. Each
returns the output sequence and the final states.

Control flow (scripted, so the graph keeps prim::If / prim::Loop): a branch on a run-time value,
a for loop with a static count (unrolled), a while loop whose exit depends on the data, a for loop
appending to a list that is stacked, a loop with a run-time trip count, a branch inside a loop,
scripted input checks that raise, and a scripted nn.LSTM.

Two more models (flow_*.pt) hold forms that cannot be converted, for the errors they must give.

Files follow gen_ops_shape.py (op_NAME.pt + op_NAME.json); lower.test_op_numerics compares each
with libtorch in fp32 and, where "fp16" is set, in fp16.
"""
import os
from typing import List

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_json, save_scripted


class Recurrent(nn.Module):
    """A recurrent layer from zero states, returning its output sequence and final states as a flat tuple."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        out, state = self.layer(x)
        return (out,) + (tuple(state) if isinstance(state, tuple) else (state,))


class RecurrentFromH(Recurrent):
    def forward(self, x, h0):
        return self.layer(x, h0)


class LstmFromHC(Recurrent):
    def forward(self, x, h0, c0):
        out, (h, c) = self.layer(x, (h0, c0))
        return out, h, c


def f32(*shape):
    return ("float32", shape)


def state_shape(layer, batch):
    directions = 2 if layer.bidirectional else 1
    return (layer.num_layers * directions, batch, layer.hidden_size)


# name -> (layer factory, input shape, initial states given as inputs)
RECURRENT = {
    "lstm": (lambda: nn.LSTM(4, 6), (5, 2, 4), False),
    "lstm_stacked_batch_first": (lambda: nn.LSTM(4, 6, num_layers=2, batch_first=True), (2, 5, 4), False),
    "lstm_bidirectional": (lambda: nn.LSTM(4, 5, num_layers=2, bidirectional=True), (6, 2, 4), False),
    "lstm_no_bias_initial_state": (lambda: nn.LSTM(3, 4, bias=False), (5, 2, 3), True),
    "lstm_bidirectional_initial_state": (lambda: nn.LSTM(3, 4, bidirectional=True, batch_first=True), (2, 4, 3), True),
    "gru": (lambda: nn.GRU(4, 6), (5, 2, 4), False),
    "gru_stacked_initial_state": (lambda: nn.GRU(4, 5, num_layers=2, batch_first=True), (2, 5, 4), True),
    "gru_no_bias_bidirectional": (lambda: nn.GRU(4, 5, bias=False, bidirectional=True), (5, 2, 4), False),
    "gru_bidirectional": (lambda: nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True), (2, 5, 3), False),
    "rnn_tanh": (lambda: nn.RNN(4, 6, num_layers=2), (5, 2, 4), False),
    "rnn_tanh_bidirectional": (lambda: nn.RNN(4, 5, bidirectional=True, batch_first=True), (2, 5, 4), False),
    "rnn_relu_no_bias_initial_state": (lambda: nn.RNN(4, 5, nonlinearity="relu", bias=False), (5, 2, 4), True),
}


class IfDataDependent(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            y = x * 2.0 + 1.0
        else:
            y = torch.tanh(x) - 1.0
        return y


class IfPassThrough(nn.Module):
    """One branch returns the input itself (a block output made outside the block)."""

    def forward(self, x):
        if x.mean() > 0:
            x = x * 3.0
        return x + 1.0


class ForStatic(nn.Module):
    def forward(self, x):
        for i in range(3):
            x = x * 0.5 + float(i)
        return x


class WhileDataDependent(nn.Module):
    def forward(self, x):
        while x.abs().sum() < 64.0:
            x = x * 2.0
        return x


class WhileCounting(nn.Module):
    """A Python int carried through a run-time loop next to a tensor."""

    def forward(self, x):
        n = 0
        while x.abs().sum() < 64.0:
            x = x * 2.0
            n += 1
        return x * float(n)


class ListAccumulate(nn.Module):
    def forward(self, x):
        outs: List[torch.Tensor] = []
        for i in range(4):
            x = torch.tanh(x + float(i))
            outs.append(x)
        return torch.stack(outs, 0) + torch.cat(outs, 0).sum(0)


class LoopRuntimeCount(nn.Module):
    """The trip count comes from a tensor's value, so the loop stays a while_loop."""

    def forward(self, x, n):
        steps = int(n.abs().sum().item()) % 5
        for _ in range(steps):
            x = x * 0.9 + 0.1
        return x


class BranchInLoop(nn.Module):
    def forward(self, x):
        for i in range(3):
            if x.mean() > 0:
                x = x - 0.5
            else:
                x = x + 0.25 * float(i + 1)
        return x


class CheckedInput(nn.Module):
    """Scripted input checks: one decided by shapes, two by values (left out of the Core ML model)."""

    def forward(self, x):
        if x.dim() != 2:
            raise ValueError("expected a 2-D input, got {}-D".format(x.dim()))
        if not bool(x.abs().max() < 1000.0):
            raise RuntimeError("input out of range")
        if x.sum() > -1.0e6:
            y = x * 2.0
        else:
            raise RuntimeError("sum out of range")
        return y


class ScriptedLstm(nn.Module):
    """nn.LSTM scripted rather than traced: its forward checks shapes and raises formatted errors."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, num_layers=2, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(h[-1])


# name -> (module, inputs, fp16)
SCRIPTED = {
    "if_data_dependent": (IfDataDependent, [("x", f32(2, 3))], True),
    "if_pass_through": (IfPassThrough, [("x", f32(2, 3))], True),
    "loop_for_static": (ForStatic, [("x", f32(2, 3))], True),
    "loop_while_data_dependent": (WhileDataDependent, [("x", f32(2, 3))], True),
    "loop_while_counting": (WhileCounting, [("x", f32(2, 3))], True),
    "loop_list_append_stack": (ListAccumulate, [("x", f32(2, 3))], True),
    "loop_runtime_trip_count": (LoopRuntimeCount, [("x", f32(2, 3)), ("n", f32(2))], False),
    "loop_branch_inside": (BranchInLoop, [("x", f32(2, 3))], True),
    "if_checked_input": (CheckedInput, [("x", f32(2, 3))], True),
    "scripted_lstm": (ScriptedLstm, [("x", f32(2, 5, 4))], True),
}


class ListInRuntimeLoop(nn.Module):
    """Appends to a list in a loop whose exit depends on the data: no Core ML program can do that."""

    def forward(self, x):
        outs: List[torch.Tensor] = []
        while x.abs().sum() < 64.0:
            x = x * 2.0
            outs.append(x)
        return torch.cat(outs, 0)


def build_unconvertible(outdir):
    """Models lower.test_flow_lowering expects precise errors for (flow_NAME.pt, no .json)."""
    torch.manual_seed(seed_for("flow_lstm_proj"))
    lstm = Recurrent(nn.LSTM(4, 6, proj_size=3)).eval()
    x = torch.randn(5, 2, 4, generator=torch.Generator().manual_seed(seed_for("flow_lstm_proj_input")))
    with torch.no_grad():
        save_scripted(torch.jit.trace(lstm, (x,)), os.path.join(outdir, "flow_lstm_proj.pt"))
    save_scripted(torch.jit.script(ListInRuntimeLoop().eval()), os.path.join(outdir, "flow_list_in_runtime_loop.pt"))


def outputs_of(result):
    results = result if isinstance(result, tuple) else (result,)
    return [{"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape)} for r in results]


def build_recurrent(name, factory, shape, with_state, outdir):
    torch.manual_seed(seed_for("op_" + name))
    layer = factory()
    wrapper = Recurrent if not with_state else LstmFromHC if isinstance(layer, nn.LSTM) else RecurrentFromH
    module = wrapper(layer).eval()
    gen = torch.Generator().manual_seed(seed_for(name))
    inputs = [("x", shape)]
    if with_state:
        states = ["h0", "c0"] if isinstance(layer, nn.LSTM) else ["h0"]
        inputs += [(s, state_shape(layer, shape[0] if layer.batch_first else shape[1])) for s in states]
    args = tuple(torch.randn(*s, generator=gen) for _, s in inputs)
    with torch.no_grad():
        traced = torch.jit.trace(module, args)
        result = module(*args)
    save_scripted(traced, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": "float32", "shape": list(s)} for n, s in inputs],
        "outputs": outputs_of(result),
        "fp16": True,
    })


def build_scripted(name, cls, inputs, fp16, outdir):
    torch.manual_seed(seed_for("op_" + name))
    module = torch.jit.script(cls().eval())
    gen = torch.Generator().manual_seed(seed_for(name))
    args = tuple(torch.randn(*shape, generator=gen) for _, (_, shape) in inputs)
    with torch.no_grad():
        result = module(*args)
    save_scripted(module, os.path.join(outdir, f"op_{name}.pt"))
    write_json(os.path.join(outdir, f"op_{name}.json"), {
        "inputs": [{"name": n, "dtype": dtype, "shape": list(shape)} for n, (dtype, shape) in inputs],
        "outputs": outputs_of(result),
        "fp16": fp16,
    })


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]

    def fresh(name):
        return up_to_date([os.path.join(outdir, f"op_{name}.{ext}") for ext in ("pt", "json")], sources)

    for name, (factory, shape, with_state) in RECURRENT.items():
        if not fresh(name):
            build_recurrent(name, factory, shape, with_state, outdir)
    for name, (cls, inputs, fp16) in SCRIPTED.items():
        if not fresh(name):
            build_scripted(name, cls, inputs, fp16, outdir)
    if not up_to_date([os.path.join(outdir, f"flow_{n}.pt") for n in ("lstm_proj", "list_in_runtime_loop")], sources):
        build_unconvertible(outdir)
