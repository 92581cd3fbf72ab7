"""Write the cross-language fixtures that the TS tests check against (run after training):

    /usr/bin/python3 -m attune_train.fixtures --model ../models/attune-brats-inst18

- `src/core/model/fixtures/parity.json`: a small input, the PyTorch logits and, per BN layer,
  mean/variance of the features entering it (TS must match within 1e-3);
- `src/core/preprocess/fixtures/brats-00324.json`: the preprocessing of a real case, summarised;
- `src/core/model/fixtures/case-dice.json`: the Python Dice of a real case through the model;
- `src/core/postprocess/fixtures/postprocess-parity.json`: synthetic label volumes, the output of
  postprocess.py for several settings, and the Python HD95 of each output against a reference
  (`--postprocess-only` writes just this one: no model or data needed).
- `src/core/model/fixtures/golden.json`: the PyTorch logits of one whole real slice of the bundled
  demo case (`public/demo/`), subsampled; the TS golden test (`src/core/model/golden.test.ts`)
  preprocesses the same files itself, so it checks preprocessing and the network together on the
  cpu and wasm backends (`--golden` writes just this one; needs only the model and `public/demo/`):

    /usr/bin/python3 -m attune_train.fixtures --golden --model ../models/attune-brats-inst18
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os

import numpy as np
import torch

from . import MODALITIES
from .data import case_from_arrays, load_case, read_seg
from .export import load_exported
from .infer import predict_case
from .metrics import REGIONS, all_dice, hd95
from .postprocess import DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS, postprocess
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


POSTPROCESS_SETTINGS = [(0, 0), (4, 0), (0, 30), (6, 30), (40, 5)]


def postprocess_fixture(seed: int = 12) -> dict:
    """Tumour-like volumes (ED shell, ET rim, NCR core) plus specks of random labels; arrays in
    NIfTI order (i fastest: numpy's ravel order 'F' of [X, Y, Z])."""
    rng = np.random.default_rng(seed)
    dims = (14, 12, 10)
    cases = []
    for c in range(4):
        ref = np.zeros(dims, np.uint8)
        i0, j0, k0 = rng.integers(1, 4, 3)
        a, b, d = rng.integers(5, 9, 3)
        ref[i0:i0 + a, j0:j0 + b, k0:k0 + d] = 2
        ref[i0 + 1:i0 + a - 1, j0 + 1:j0 + b - 1, k0 + 1:k0 + d - 1] = 4
        ref[i0 + 2:i0 + a - 2, j0 + 2:j0 + b - 2, k0 + 2:k0 + d - 2] = 1
        pred = ref.copy()
        specks = rng.random(dims) < (0.004 + 0.006 * c)
        pred[specks] = rng.choice(np.array([1, 2, 4], np.uint8), int(specks.sum()))
        if c == 3:  # a prediction with only a little ET
            pred[pred == 4] = 2
            pred[i0 + 2, j0 + 2, k0 + 1:k0 + 4] = 4
        runs = []
        for mc, me in POSTPROCESS_SETTINGS:
            out = postprocess(pred, mc, me)
            runs.append({"minComponentVoxels": mc, "minEtVoxels": me, "output": out.ravel(order="F").tolist(),
                         "hd95": {k: hd95(out, ref, REGIONS[k]) for k in ("ET", "TC", "WT")}})
        cases.append({"dims": list(dims), "input": pred.ravel(order="F").tolist(), "reference": ref.ravel(order="F").tolist(), "runs": runs})
    return {"generatedBy": "training/attune_train/fixtures.py", "cases": cases,
            "defaults": {"minComponentVoxels": DEFAULT_MIN_COMPONENT_VOXELS, "minEtVoxels": DEFAULT_MIN_ET_VOXELS}}


DEMO_DIR = os.path.join(REPO, "public/demo")
DEMO_CASE = "BraTS2021_00324"
GOLDEN_STRIDE = 4  # every 4th row and column of the slice: ~1,500 pixels × 4 classes, ~25 KB


def read_demo_case(folder: str = DEMO_DIR, name: str = DEMO_CASE):
    """The bundled demo files (named `<case>_<modality>.nii.gz` in a folder not named after the case)."""
    import nibabel as nib
    vols = np.stack([np.asarray(nib.load(os.path.join(folder, f"{name}_{m}.nii.gz")).dataobj, dtype=np.float32) for m in MODALITIES])
    return case_from_arrays(name, vols, read_seg(os.path.join(folder, f"{name}_seg.nii.gz")))


def golden_fixture(model, case, stride: int = GOLDEN_STRIDE) -> dict:
    """PyTorch logits of the whole axial slice with the most tumour, preprocessed as the runtime
    does (preprocess.py twins src/core/preprocess), every `stride`-th row and column kept.

    Float32 little-endian, base64, NHWC order of the subsampled grid: exact and small."""
    k = int(np.argmax((case.classes > 0).sum((1, 2))))
    x = torch.from_numpy(case.slices[k:k + 1].copy())  # [1, 4, H', W']
    with torch.no_grad():
        logits = model(x)
    sub = logits[0].permute(1, 2, 0).numpy()[::stride, ::stride, :]  # [h, w, classes]
    b = case.box
    return {
        "case": case.name, "source": "public/demo", "slice": k, "sliceShape": [int(x.shape[2]), int(x.shape[3])],
        "box": {"i0": b.i0, "j0": b.j0, "k0": b.k0, "width": b.width, "height": b.height, "depth": b.depth},
        "stride": stride, "shape": list(sub.shape),
        "logitsNHWCFloat32Base64": base64.b64encode(np.ascontiguousarray(sub, dtype="<f4").tobytes()).decode("ascii"),
    }


def write_json(path: str, doc: dict) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f)
    print("wrote", os.path.relpath(path, REPO))


POSTPROCESS_FIXTURE = os.path.join(REPO, "src/core/postprocess/fixtures/postprocess-parity.json")
GOLDEN_FIXTURE = os.path.join(REPO, "src/core/model/fixtures/golden.json")


def weights_sha256(model_dir: str) -> str:
    with open(os.path.join(model_dir, "weights.bin"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--postprocess-only", action="store_true")
    ap.add_argument("--golden", action="store_true", help="write only the golden-slice fixture (model + public/demo)")
    ap.add_argument("--model", default=os.path.join(REPO, "models/attune-brats-inst18"))
    ap.add_argument("--data", default=os.path.join(REPO, "../shared/data/brats2021"))
    args = ap.parse_args(argv)
    golden = lambda model: {"model": os.path.basename(args.model.rstrip("/")), "weightsSha256": weights_sha256(args.model),
                            **golden_fixture(model, read_demo_case())}
    if args.golden:
        write_json(GOLDEN_FIXTURE, golden(load_exported(args.model)))
        return
    write_json(POSTPROCESS_FIXTURE, postprocess_fixture())
    if args.postprocess_only:
        return
    model = load_exported(args.model)
    weights_sha = weights_sha256(args.model)
    case = load_case(os.path.join(args.data, FIXTURE_CASE))
    out = {
        os.path.join(REPO, "src/core/model/fixtures/parity.json"): {"weightsSha256": weights_sha, **parity_fixture(model, case)},
        os.path.join(REPO, "src/core/preprocess/fixtures/brats-00324.json"): preprocess_fixture(case),
        os.path.join(REPO, "src/core/model/fixtures/case-dice.json"): {
            "case": case.name, "model": os.path.basename(args.model.rstrip("/")), "weightsSha256": weights_sha,
            "dice": all_dice(predict_case(model, case), case.labels)},
        GOLDEN_FIXTURE: golden(model),
    }
    for path, doc in out.items():
        write_json(path, doc)


if __name__ == "__main__":
    main()
