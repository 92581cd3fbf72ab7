"""The committed cross-language fixtures belong to the shipped model and this code."""
import hashlib
import json
import os

import numpy as np
import torch

from attune_train.export import load_exported
from attune_train.model import bn_input_stats

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
MODEL = os.path.join(REPO, "models/attune-brats-inst18")
PARITY = os.path.join(REPO, "src/core/model/fixtures/parity.json")


def test_parity_fixture_is_what_pytorch_computes_with_the_shipped_weights():
    fx = json.load(open(PARITY))
    with open(os.path.join(MODEL, "weights.bin"), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == fx["weightsSha256"], "re-run attune_train.fixtures"
    model = load_exported(MODEL)
    n, h, w, c = fx["shape"]
    x = torch.tensor(np.asarray(fx["inputNHWC"], np.float32).reshape(n, h, w, c)).permute(0, 3, 1, 2)
    with torch.no_grad():
        logits, stats = bn_input_stats(model, x)
    ref = np.asarray(fx["logitsNHWC"], np.float32).reshape(n, h, w, -1)
    assert np.abs(logits.permute(0, 2, 3, 1).numpy() - ref).max() < 1e-4
    assert list(stats) == list(fx["bnInputStats"])
