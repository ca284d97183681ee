"""Writes the TorchScript fixture of the fine-tuning tests and torch's outputs for it.

Run with Debian's torch (never installed in CI):  /usr/bin/python3 make_torchscript_fixture.py
Writes small_cnn.pt (a scripted CNN for 1x28x28 greyscale images, 10 classes, seeded weights)
and small_cnn.expected.json (a seeded input batch and the logits torch computes for it), which
TorchScriptFineTuningTest compares DJL's outputs against.
"""
import json
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class SmallCnn(nn.Module):
    """conv 3x3 (8) -> relu -> pool -> conv 3x3 (16) -> relu -> pool -> linear (10)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def main():
    torch.manual_seed(20240601)
    model = SmallCnn().eval()
    scripted = torch.jit.script(model)
    scripted.save(os.path.join(HERE, "small_cnn.pt"))

    generator = torch.Generator().manual_seed(7)
    x = torch.rand(3, 1, 28, 28, generator=generator)
    with torch.no_grad():
        y = scripted(x)
    expected = {
        "torch": torch.__version__,
        "inputShape": list(x.shape),
        # float32 values written as the doubles that hold them exactly.
        "input": [float(v) for v in x.flatten().tolist()],
        "outputShape": list(y.shape),
        "output": [float(v) for v in y.flatten().tolist()],
        "parameters": [name for name, _ in scripted.named_parameters()],
    }
    with open(os.path.join(HERE, "small_cnn.expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")


if __name__ == "__main__":
    main()
