"""The module wrappers the op fixture generators (gen_ops_*.py) trace: a function of the inputs as a module."""
import torch
from torch import nn


class Fn(nn.Module):
    """fn(module, *inputs) as a module. Submodules are attached and tensors become buffers (constants
    once the trace is frozen); the forward signatures of Fn1/Fn2/Fn3 name the graph's inputs x, y, z."""

    def __init__(self, fn, members=None, **more):
        super().__init__()
        self.fn = fn
        for k, v in {**(members or {}), **more}.items():
            if isinstance(v, torch.Tensor):
                self.register_buffer(k, v)
            else:
                setattr(self, k, v)


class Fn1(Fn):
    def forward(self, x):
        return self.fn(self, x)


class Fn2(Fn):
    def forward(self, x, y):
        return self.fn(self, x, y)


class Fn3(Fn):
    def forward(self, x, y, z):
        return self.fn(self, x, y, z)


def f32(*shape):
    return ("float32", shape)


def i32(*shape):
    return ("int32", shape)
