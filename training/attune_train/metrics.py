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


# ---- HD95, the twin of src/core/metrics/hd95.ts (same surfaces, distances, percentile) ----

def _surface(m: np.ndarray) -> np.ndarray:
    """Voxels of m with a 6-neighbour outside it (the grid's edge counts as outside)."""
    p = np.pad(m, 1)
    inner = p[1:-1, 1:-1, 1:-1]
    interior = inner.copy()
    for ax in range(3):
        for d in (1, -1):
            interior &= np.roll(p, d, axis=ax)[1:-1, 1:-1, 1:-1]
    return inner & ~interior


def _sq_edt(feature: np.ndarray, spacing) -> np.ndarray:
    """Exact squared Euclidean distance to the nearest feature voxel: a brute-force 1D min-plus
    transform per axis, vectorised over lines (numpy only; used on small bounding boxes)."""
    d = np.where(feature, 0.0, np.inf).astype(np.float64)
    for ax in range(3):
        d = np.moveaxis(d, ax, -1)
        n = d.shape[-1]
        pos = np.arange(n, dtype=np.float64) * spacing[ax]
        out = np.empty_like(d)
        for q in range(n):
            out[..., q] = np.min(d + (pos - pos[q]) ** 2, axis=-1)
        d = np.moveaxis(out, -1, ax)
    return d


def hd95(pred: np.ndarray, ref: np.ndarray, labels, spacing=(1.0, 1.0, 1.0)) -> float | None:
    p, r = np.isin(pred, labels), np.isin(ref, labels)
    if not r.any():
        return None
    if not p.any():
        return float(np.sqrt(sum((s * n) ** 2 for s, n in zip(spacing, pred.shape))))
    both = p | r
    box = tuple(slice(int(v.min()), int(v.max()) + 1) for v in np.nonzero(both))
    sp, sr = _surface(p[box]), _surface(r[box])
    d_to_ref, d_to_pred = np.sqrt(_sq_edt(sr, spacing)), np.sqrt(_sq_edt(sp, spacing))
    return float(max(np.percentile(d_to_ref[sp], 95), np.percentile(d_to_pred[sr], 95)))


def all_hd95(pred: np.ndarray, ref: np.ndarray, spacing=(1.0, 1.0, 1.0)) -> dict[str, float | None]:
    return {k: hd95(pred, ref, v, spacing) for k, v in REGIONS.items()}
