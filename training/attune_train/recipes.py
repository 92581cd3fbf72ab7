"""Named training recipes: the split and the hyper-parameters `train.py --recipe NAME` starts from
(every one can still be overridden by its own flag).

- v1: the shipped model attune-brats-inst18 (7 institution-18 scans, ~2,000 steps, v1 augmentation).
  `python -m attune_train.train` with no flags runs it, as before issue 12.
- v2: issue 20 — the 10 institution-18 training scans, warm-started from the shipped v1 weights,
  augment_v2 (contrast, gamma, bias field, low resolution, noise), 10 % of crops from tumour-free
  mirrored copies of the training scans (tumour_free.py). Sized by measured step times to finish
  in under 2 h on 2 CPU cores (training/README.md, "Recipe v2 on 2 CPU cores").
"""
from __future__ import annotations

import os

from .augment_v2 import augment_v2
from .data import augment as augment_v1
from .splits import SPLITS

V1_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../models/attune-brats-inst18"))

RECIPES = {
    "v1": {"split": "v1", "steps": 2000, "finetune_steps": 200, "batch": 8, "crop": 128, "lr": 2e-3,
           "augment": "v1", "tumour_free_fraction": 0.0, "init": None},
    "v2": {"split": "v2", "steps": 4500, "finetune_steps": 300, "batch": 8, "crop": 128, "lr": 2e-3,
           "augment": "v2", "tumour_free_fraction": 0.1, "init": V1_DIR},
}
AUGMENTS = {"v1": augment_v1, "v2": augment_v2}


def recipe_defaults(name: str) -> dict:
    if name not in RECIPES:
        raise ValueError(f"unknown recipe {name!r} (known: {', '.join(RECIPES)})")
    r = dict(RECIPES[name])
    split = SPLITS[r.pop("split")]
    return {**r, "train_cases": split["train"], "val_cases": split["val"], "target_cases": split["target"]}
