"""The v2 model card lists every held-out scan and checks the issue's targets on the means."""
import torch

from attune_train.evaluate import setting_name
from attune_train.export import export_model
from attune_train.model import AttuneNet
from attune_train.model_card_v2 import card
from attune_train.postprocess import DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS


def row(wt, hd):
    dice = {"NCR": 0.8, "ED": 0.85, "ET": 0.8, "ET_region": 0.8, "TC": 0.85, "WT": wt}
    return {"dice": dice, "hd95": {"ET": 3.0, "TC": 4.0, "WT": hd}}


def test_card_tables_means_and_targets(tmp_path):
    export_model(AttuneNet((4, 8, 8, 8, 8)), str(tmp_path), {
        "trainCases": ["a"], "valCases": ["x"], "targetCases": ["y"], "steps": 10, "finetuneSteps": 2, "batch": 2,
        "crop": 32, "lr": 1e-3, "seed": 1, "seconds": 120, "recipe": "v2", "augment": "v2", "device": "cuda",
        "command": "cd training && /usr/bin/python3 -m attune_train.train --recipe v2"})
    default = setting_name(DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS)
    per = {"x": {"off": row(0.90, 30.0), default: row(0.92, 10.0)}, "y": {"off": row(0.80, 50.0), default: row(0.84, 14.0)}}
    ev = {"cases": ["x", "y"], "shiftScore": {"x": 1.0, "y": 2.0}, "perCase": per}
    base = {"cases": ["x", "y"], "shiftScore": {"x": 1.0, "y": 2.0},
            "perCase": {"x": {"off": row(0.91, 20.0)}, "y": {"off": row(0.87, 40.0)}}}
    text = card(str(tmp_path), ev, base)
    assert "| x | 1.00 |" in text and "| y | 2.00 |" in text
    assert "WT 0.880 (target ≥ 0.87) ✓" in text          # mean of 0.92 and 0.84 (default setting)
    assert "HD95 WT 12.0 mm" in text
    assert "largest WT loss against v1: y -0.030" in text and "✗" in text
