"""The v2 model card lists every held-out scan for v1 and v2 and checks the issue's targets on the means."""
import torch  # noqa: F401  (the exporter needs torch loaded)

from attune_train.evaluate import setting_name
from attune_train.export import export_model
from attune_train.model import AttuneNet
from attune_train.model_card_v2 import card
from attune_train.postprocess import DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS

DEFAULT = setting_name(DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS)


def row(wt, hd):
    dice = {"NCR": 0.8, "ED": 0.85, "ET": 0.8, "ET_region": 0.8, "TC": 0.85, "WT": wt}
    return {"dice": dice, "hd95": {"ET": 3.0, "TC": 4.0, "WT": hd}}


def ml(total):
    return {"NCR": 0.0, "ED": total, "ET": 0.0, "total": total}


def evaluation(per, tumour_free):
    return {"cases": ["x", "y"], "addedCases": [], "shiftScore": {"x": 1.0, "y": 2.0}, "perCase": per, "tumourFree": tumour_free}


def test_card_tables_means_and_targets(tmp_path):
    export_model(AttuneNet((4, 8, 8, 8, 8)), str(tmp_path), {
        "trainCases": ["a"], "valCases": ["x"], "targetCases": ["y"], "steps": 10, "finetuneSteps": 2, "batch": 2,
        "crop": 32, "lr": 1e-3, "seed": 1, "seconds": 120, "recipe": "v2", "augment": "v2", "device": "cuda",
        "command": "cd training && /usr/bin/python3 -m attune_train.train --recipe v2"})
    ev = evaluation({"x": {"off": row(0.90, 30.0), DEFAULT: row(0.92, 10.0)}, "y": {"off": row(0.80, 50.0), DEFAULT: row(0.84, 14.0)}},
                    {"x": {"eligible": True, "planeShiftVoxels": 0.5, "ml": {"off": ml(3.0), DEFAULT: ml(0.4)}}, "y": {"eligible": False}})
    base = evaluation({"x": {"off": row(0.91, 20.0), DEFAULT: row(0.91, 20.0)}, "y": {"off": row(0.85, 40.0), DEFAULT: row(0.87, 40.0)}},
                      {"x": {"eligible": True, "planeShiftVoxels": 0.5, "ml": {"off": ml(9.0), DEFAULT: ml(6.0)}}, "y": {"eligible": False}})
    text = card(str(tmp_path), ev, base)
    assert "| x | v1 | 0.800 | 0.850 | 0.800 | 0.800 | 0.850 | 0.910 | 3.0 | 4.0 | 20.0 |" in text
    assert "| x | v2 | 0.800 | 0.850 | 0.800 | 0.800 | 0.850 | 0.920 | 3.0 | 4.0 | 10.0 |" in text
    assert "| **mean** | **v2** |" in text and "**0.880**" in text   # mean WT of 0.92 and 0.84 (post-processed)
    assert "WT 0.880 (target ≥ 0.87) ✓" in text
    assert "HD95 WT 12.0 mm" in text
    # like with like: v2 post-processed 0.84 against v1 post-processed 0.87 on y
    assert "largest WT loss against v1: y -0.030 (target ≥ −0.02) ✗" in text
    assert "| x | 0.5 | 9.0 mL | **6.0 mL** (0.0 / 6.0 / 0.0) | 3.0 mL | **0.4 mL** (0.0 / 0.4 / 0.0) |" in text
    assert "tumour-free x: 0.4 mL predicted (target ≤ 1 mL) ✓" in text
    assert "| y | tumour crosses the midline: no copy |" in text
