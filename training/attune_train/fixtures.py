"""Write the cross-language fixtures that the TS tests check against (run after training):

    /usr/bin/python3 -m attune_train.fixtures --model ../models/attune-brats-inst18

- `src/core/model/fixtures/parity.json`: a small input, the PyTorch logits and, per BN layer,
  mean/variance of the features entering it (TS must match within 1e-3);
- `src/core/preprocess/fixtures/brats-00324.json`: the preprocessing of a real case, summarised;
- `src/core/model/fixtures/case-dice.json`: the Python Dice of a real case through the model.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os

import numpy as np
import torch

from . import MODALITIES
from .data import load_case
from .export import load_exported
from .infer import predict_case
from .metrics import all_dice
from .model import bn_input_stats

HERE = os.path.dirname(__file__)
REPO = os.path.abspath(os.path.join(HERE, "../.."))
FIXTURE_CASE = "BraTS2021_00324"


def parity_fixture(model, case) -> dict:
    """Two real 32×48 patches (batch 2) around the tumour, plus the model's outputs."""
    k = int(np.argmax((case.classes > 0).sum((1, 2))))
    x = torch.from_numpy(case.slices[[k, max(k - 10, 0)], :, 40:72, 40:88].copy())
    with torch.no_grad():
        logits, stats = bn_input_stats(model, x)
    r = lambda a: [round(float(v), 6) for v in np.asarray(a).ravel()]
    return {
        "shape": list(x.permute(0, 2, 3, 1).shape),
        "inputNHWC": r(x.permute(0, 2, 3, 1).numpy()),
        "logitsNHWC": r(logits.permute(0, 2, 3, 1).numpy()),
        "bnInputStats": {n: {"mean": r(m), "variance": r(v)} for n, (m, v) in stats.items()},
    }


def preprocess_fixture(case) -> dict:
    s = case.slices  # [D, 4, H, W]
    rng = np.random.default_rng(0)
    pts = [(int(rng.integers(s.shape[0])), int(rng.integers(s.shape[2])), int(rng.integers(s.shape[3])), c)
           for c in range(4) for _ in range(25)]
    b = case.box
    return {
        "case": case.name, "modalities": list(MODALITIES),
        "box": {"i0": b.i0, "j0": b.j0, "k0": b.k0, "width": b.width, "height": b.height, "depth": b.depth},
        "channelSum": [float(s[:, c].astype(np.float64).sum()) for c in range(4)],
        "channelSumSq": [float((s[:, c].astype(np.float64) ** 2).sum()) for c in range(4)],
        "samples": [{"k": k, "h": h, "w": w, "c": c, "value": float(s[k, c, h, w])} for k, h, w, c in pts],
    }


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(REPO, "models/attune-brats-inst18"))
    ap.add_argument("--data", default=os.path.join(REPO, "../shared/data/brats2021"))
    args = ap.parse_args(argv)
    model = load_exported(args.model)
    with open(os.path.join(args.model, "weights.bin"), "rb") as f:
        weights_sha = hashlib.sha256(f.read()).hexdigest()
    case = load_case(os.path.join(args.data, FIXTURE_CASE))
    out = {
        os.path.join(REPO, "src/core/model/fixtures/parity.json"): {"weightsSha256": weights_sha, **parity_fixture(model, case)},
        os.path.join(REPO, "src/core/preprocess/fixtures/brats-00324.json"): preprocess_fixture(case),
        os.path.join(REPO, "src/core/model/fixtures/case-dice.json"): {
            "case": case.name, "model": os.path.basename(args.model.rstrip("/")), "weightsSha256": weights_sha,
            "dice": all_dice(predict_case(model, case), case.labels)},
    }
    for path, doc in out.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(doc, f)
        print("wrote", os.path.relpath(path, REPO))


if __name__ == "__main__":
    main()
