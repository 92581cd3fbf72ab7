"""Export to the contract's tfjs weights format (models/README.md §5); keeps every BN layer."""
from __future__ import annotations

import json
import os

import numpy as np
import torch

from . import LABELS, MODALITIES
from .infer import KL_EPS, STATS_SLICES
from .model import BN_EPS, LEAKY, AttuneNet, adapt_bn_names

CONTRACT_VERSION = 1


def tfjs_tensors(model: AttuneNet) -> list[tuple[str, np.ndarray]]:
    """(name, array in TS layout) in a fixed order."""
    out: list[tuple[str, np.ndarray]] = []
    conv = lambda w: w.detach().numpy().transpose(2, 3, 1, 0)   # [O,I,kh,kw] → [kh,kw,I,O]
    tconv = lambda w: w.detach().numpy().transpose(2, 3, 1, 0)  # [I,O,kh,kw] → [kh,kw,O,I]
    for m in MODALITIES:
        n = model.norms[m]
        for i, c in enumerate((n.conv1, n.conv2, n.conv3), 1):
            out += [(f"norm_{m}_conv{i}/kernel", conv(c.weight)), (f"norm_{m}_conv{i}/bias", c.bias.detach().numpy())]
    for name, blk in model.named_conv_bn():
        out.append((f"{name}/kernel", (tconv if name.endswith("tconv") else conv)(blk.conv.weight)))
        bn = blk.bn
        for k, t in (("gamma", bn.weight), ("beta", bn.bias), ("moving_mean", bn.running_mean), ("moving_variance", bn.running_var)):
            out.append((f"{name}_bn/{k}", t.detach().numpy()))
    out += [("head/kernel", conv(model.head.weight)), ("head/bias", model.head.bias.detach().numpy())]
    return [(n, np.ascontiguousarray(a, dtype=np.float32)) for n, a in out]


def architecture(model: AttuneNet) -> dict:
    return {
        "widths": list(model.widths), "modalities": list(MODALITIES), "classes": ["background", "NCR", "ED", "ET"],
        "labels": list(LABELS), "bnEpsilon": BN_EPS, "leakySlope": LEAKY, "statsSlices": STATS_SLICES,
        "klEpsilon": KL_EPS, "adaptBn": adapt_bn_names(model),
        "bnLayers": [f"{n}_bn" for n, _ in model.named_conv_bn()],
    }


def export_model(model: AttuneNet, out_dir: str, training: dict, shard: str = "weights.bin") -> None:
    tensors = tfjs_tensors(model)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, shard), "wb") as f:
        for _, a in tensors:
            f.write(a.tobytes())  # little-endian float32, manifest order
    doc = {
        "format": "attune-weights", "contractVersion": CONTRACT_VERSION,
        "generatedBy": f"torch {torch.__version__}", "convertedBy": "training/attune_train/export.py",
        "architecture": architecture(model), "training": training,
        "weightsManifest": [{"paths": [shard], "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in tensors]}],
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(doc, f, indent=1)


def load_exported(out_dir: str) -> AttuneNet:
    """Inverse of export_model (used by tests and evaluation)."""
    doc = json.load(open(os.path.join(out_dir, "model.json")))
    model = AttuneNet(tuple(doc["architecture"]["widths"]))
    raw = np.fromfile(os.path.join(out_dir, doc["weightsManifest"][0]["paths"][0]), dtype="<f4")
    arrays, off = {}, 0
    for w in doc["weightsManifest"][0]["weights"]:
        n = int(np.prod(w["shape"]))
        arrays[w["name"]] = raw[off:off + n].reshape(w["shape"])
        off += n
    ref = dict(tfjs_tensors(model))
    assert set(ref) == set(arrays), "tensor names differ from the contract"
    tmap = lambda a: torch.from_numpy(np.ascontiguousarray(a.transpose(3, 2, 0, 1)))
    with torch.no_grad():
        for m in MODALITIES:
            n = model.norms[m]
            for i, c in enumerate((n.conv1, n.conv2, n.conv3), 1):
                c.weight.copy_(tmap(arrays[f"norm_{m}_conv{i}/kernel"]))
                c.bias.copy_(torch.from_numpy(arrays[f"norm_{m}_conv{i}/bias"]))
        for name, blk in model.named_conv_bn():
            blk.conv.weight.copy_(tmap(arrays[f"{name}/kernel"]))
            for k, t in (("gamma", blk.bn.weight), ("beta", blk.bn.bias), ("moving_mean", blk.bn.running_mean), ("moving_variance", blk.bn.running_var)):
                t.copy_(torch.from_numpy(arrays[f"{name}_bn/{k}"]))
        model.head.weight.copy_(tmap(arrays["head/kernel"]))
        model.head.bias.copy_(torch.from_numpy(arrays["head/bias"]))
    model.eval()
    return model
