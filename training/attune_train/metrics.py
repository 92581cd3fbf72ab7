"""Dice and region Dice (BraTS conventions) on label volumes with values {0,1,2,4}."""
from __future__ import annotations

import numpy as np

REGIONS = {"NCR": (1,), "ED": (2,), "ET": (4,), "ET_region": (4,), "TC": (1, 4), "WT": (1, 2, 4)}


def dice(pred: np.ndarray, ref: np.ndarray, labels) -> float | None:
    """Dice of the union of `labels`; None when the reference lacks them (undefined)."""
    p, r = np.isin(pred, labels), np.isin(ref, labels)
    if r.sum() == 0:
        return None
    return float(2 * np.logical_and(p, r).sum() / (p.sum() + r.sum()))


def all_dice(pred: np.ndarray, ref: np.ndarray) -> dict[str, float | None]:
    return {k: dice(pred, ref, v) for k, v in REGIONS.items()}
