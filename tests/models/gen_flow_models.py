"""Whole recurrent models for the coverage issue (random init), with a reference input and output.

lstm_classifier: features [1, 12, 8] -> Linear(8, 16) + ReLU -> a 2-layer LSTM (hidden 32,
batch_first) -> the last layer's final hidden state -> Linear(32, 5) logits. Traced in eval mode.
Files: model_lstm_classifier.pt, .json (input name and shapes) and .input.npy (the input the test feeds).
"""
import os

import numpy as np
import torch
from torch import nn

from fixture_io import seed_for, up_to_date, write_atomically, write_json, save_scripted


class LstmClassifier(nn.Module):
    def __init__(self, features=8, embed=16, hidden=32, classes=5):
        super().__init__()
        self.embed = nn.Linear(features, embed)
        self.lstm = nn.LSTM(embed, hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        _, (h, _) = self.lstm(torch.relu(self.embed(x)))
        return self.head(h[-1])


MODELS = {"lstm_classifier": (LstmClassifier, (1, 12, 8))}


def generate(outdir):
    here = os.path.abspath(__file__)
    sources = [here, os.path.join(os.path.dirname(here), "fixture_io.py")]
    for name, (factory, shape) in MODELS.items():
        stem = os.path.join(outdir, f"model_{name}")
        outputs = [stem + ext for ext in (".pt", ".json", ".input.npy")]
        if up_to_date(outputs, sources):
            continue
        seed = seed_for("model_" + name)
        torch.manual_seed(seed)
        model = factory().eval()
        x = torch.randn(shape, generator=torch.Generator().manual_seed(seed + 1))
        with torch.no_grad():
            traced = torch.jit.trace(model, x)
            y = traced(x)
        write_atomically(stem + ".input.npy", lambda tmp: np.save(open(tmp, "wb"), x.numpy()))
        write_json(stem + ".json", {"input_name": "x", "input_shape": list(shape), "output_shape": list(y.shape)})
        save_scripted(traced, stem + ".pt")  # last: its presence marks the set complete
