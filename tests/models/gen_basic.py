"""Small fixtures for frontend and error tests.

demo_cnn.pt                  the bundled demo model (resources/demo/make_demo_model.py)
scripted_control_flow.pt     torch.jit.script with if/loop (prim::If, prim::Loop survive freezing)
training_mode.pt             scripted dropout + batch norm module saved while still in training mode
traced_training_mode.pt      the same module traced in training mode (training=True baked into the ops)
tuple_output.pt              traced model returning a (logits, features) tuple
no_forward.pt                a scripted module with an exported method but no forward()
corrupt_archive.pt           a well-formed zip whose TorchScript code is not valid
cuda_tagged.pt               a CPU archive whose tensor storages claim device cuda:0
not_torchscript.pt           torch.save(state_dict): a pickle zip, not TorchScript
not_torchscript_legacy.pt    the same in torch's pre-1.6 (non-zip) pickle format
truncated.pt                 the first half of a valid archive
random_bytes.pt              4 KiB of seeded random bytes
plain_zip.pt                 a zip holding a text file (not written by torch)
"""
import importlib.util
import io
import os
import random
import zipfile

import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_atomically, write_bytes, save_scripted

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_SCRIPT = os.path.join(HERE, "..", "..", "resources", "demo", "make_demo_model.py")


class ControlFlow(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(8, 8)

    def forward(self, x: torch.Tensor, steps: int) -> torch.Tensor:
        if bool(x.sum() > 0):
            x = torch.relu(self.linear(x))
        else:
            x = torch.sigmoid(self.linear(x))
        for _ in range(steps):
            x = x * 0.5 + 1.0
        return x


class TrainingMode(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        return self.dropout(torch.relu(self.bn(self.conv(x))))


class TupleOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Conv2d(3, 8, 3, padding=1)
        self.head = nn.Linear(8, 5)

    def forward(self, x):
        features = torch.relu(self.features(x))
        logits = self.head(features.mean(dim=(2, 3)))
        return logits, features


class NoForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = 2.0

    @torch.jit.export
    def helper(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale


class TinyLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(x)


def load_demo_script():
    spec = importlib.util.spec_from_file_location("make_demo_model", DEMO_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def retag_storages(archive_bytes, location):
    """Rewrites the storage locations ('cpu') recorded in an archive's pickles as `location`.

    TorchScript's pickler writes each location as BINUNICODE (opcode 'X', 4-byte length) without
    framing, so the string can be replaced in place with a different length."""
    old = b"X\x03\x00\x00\x00cpu"
    new = b"X" + len(location).to_bytes(4, "little") + location.encode()
    src = zipfile.ZipFile(io.BytesIO(archive_bytes))
    out = io.BytesIO()
    replaced = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("/data.pkl") or info.filename.endswith("/constants.pkl"):
                replaced += data.count(old)
                data = data.replace(old, new)
            dst.writestr(info.filename, data)
    if replaced == 0:
        raise RuntimeError("no storage location found to retag: the archive layout changed")
    return out.getvalue()


def corrupt_code(archive_bytes):
    """Replaces the archive's TorchScript code files with text TorchScript cannot parse."""
    src = zipfile.ZipFile(io.BytesIO(archive_bytes))
    out = io.BytesIO()
    replaced = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if "/code/" in info.filename and info.filename.endswith(".py"):
                data = b"class TinyLinear(Module):\n  def forward(self) -> )(:\n"
                replaced += 1
            dst.writestr(info.filename, data)
    if replaced == 0:
        raise RuntimeError("no code file found to corrupt: the archive layout changed")
    return out.getvalue()


def generate(outdir):
    sources = [os.path.abspath(__file__), os.path.join(HERE, "fixture_io.py")]

    def path(name):
        return os.path.join(outdir, name)

    def stale(name, extra_sources=()):
        return not up_to_date([path(name)], sources + list(extra_sources))

    if stale("demo_cnn.pt", [DEMO_SCRIPT]):
        save_scripted(load_demo_script().build_demo_model(), path("demo_cnn.pt"))

    if stale("scripted_control_flow.pt"):
        torch.manual_seed(seed_for("scripted_control_flow"))
        save_scripted(torch.jit.script(ControlFlow().eval()), path("scripted_control_flow.pt"))

    if stale("training_mode.pt"):
        torch.manual_seed(seed_for("training_mode"))
        # Scripted, not traced: tracing would bake training=True into the graph, scripting keeps
        # self.training as an attribute the importer can switch off.
        save_scripted(torch.jit.script(TrainingMode().train()), path("training_mode.pt"))

    if stale("traced_training_mode.pt"):
        torch.manual_seed(seed_for("traced_training_mode"))
        traced = torch.jit.trace(TrainingMode().train(), torch.rand(2, 3, 8, 8), check_trace=False)
        save_scripted(traced, path("traced_training_mode.pt"))

    if stale("tuple_output.pt"):
        torch.manual_seed(seed_for("tuple_output"))
        with torch.no_grad():
            traced = torch.jit.trace(TupleOutput().eval(), torch.rand(1, 3, 16, 16))
        save_scripted(traced, path("tuple_output.pt"))

    if stale("no_forward.pt"):
        save_scripted(torch.jit.script(NoForward()), path("no_forward.pt"))

    tiny = None

    def tiny_archive():
        nonlocal tiny
        if tiny is None:
            torch.manual_seed(seed_for("tiny_linear"))
            model = TinyLinear().eval()
            buf = io.BytesIO()
            torch.jit.save(torch.jit.trace(model, torch.rand(1, 16)), buf)
            tiny = (model, buf.getvalue())
        return tiny

    if stale("cuda_tagged.pt"):
        write_bytes(path("cuda_tagged.pt"), retag_storages(tiny_archive()[1], "cuda:0"))

    if stale("not_torchscript.pt"):
        write_atomically(path("not_torchscript.pt"), lambda tmp: torch.save(tiny_archive()[0].state_dict(), tmp))

    if stale("not_torchscript_legacy.pt"):
        write_atomically(path("not_torchscript_legacy.pt"),
                         lambda tmp: torch.save(tiny_archive()[0].state_dict(), tmp,
                                                _use_new_zipfile_serialization=False))

    if stale("corrupt_archive.pt"):
        write_bytes(path("corrupt_archive.pt"), corrupt_code(tiny_archive()[1]))

    if stale("truncated.pt"):
        data = tiny_archive()[1]
        write_bytes(path("truncated.pt"), data[:len(data) // 2])

    if stale("plain_zip.pt"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("model/readme.txt", "weights are elsewhere\n")
        write_bytes(path("plain_zip.pt"), buf.getvalue())

    if stale("random_bytes.pt"):
        write_bytes(path("random_bytes.pt"), random.Random(seed_for("random_bytes")).randbytes(4096))
