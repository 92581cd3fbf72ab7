"""Preprocessing of models/README.md §2, the twin of src/core/preprocess (checked on a fixture)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAD_MULTIPLE = 16


@dataclass(frozen=True)
class CropBox:
    """Padded in-plane box (start may be negative / end beyond the grid) and the brain's k-extent."""
    i0: int
    j0: int
    k0: int
    width: int   # W' (along i)
    height: int  # H' (along j)
    depth: int   # k1 - k0 + 1
    brain_i: tuple[int, int] = (0, -1)  # unpadded inclusive brain extent along i
    brain_j: tuple[int, int] = (0, -1)

    @property
    def k1(self) -> int:
        return self.k0 + self.depth - 1


def brain_mask(volumes: np.ndarray) -> np.ndarray:
    """volumes: [4, X, Y, Z]; mask = non-zero in any modality."""
    return np.any(volumes != 0, axis=0)


def _padded(lo: int, hi: int) -> tuple[int, int]:
    n = hi - lo + 1
    n_pad = PAD_MULTIPLE * int(np.ceil(n / PAD_MULTIPLE))
    before = (n_pad - n) // 2
    return lo - before, n_pad


def crop_box(mask: np.ndarray) -> CropBox:
    idx = [np.nonzero(np.any(mask, axis=tuple(a for a in range(3) if a != ax)))[0] for ax in range(3)]
    if any(len(v) == 0 for v in idx):
        raise ValueError("empty brain mask: every modality is zero everywhere")
    i0, w = _padded(int(idx[0][0]), int(idx[0][-1]))
    j0, h = _padded(int(idx[1][0]), int(idx[1][-1]))
    k0, k1 = int(idx[2][0]), int(idx[2][-1])
    return CropBox(i0=i0, j0=j0, k0=k0, width=w, height=h, depth=k1 - k0 + 1,
                   brain_i=(int(idx[0][0]), int(idx[0][-1])), brain_j=(int(idx[1][0]), int(idx[1][-1])))


def zscore(volumes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(volumes.shape, dtype=np.float32)
    for m in range(volumes.shape[0]):
        v = volumes[m][mask].astype(np.float64)
        mu, sd = v.mean(), v.std()
        if not np.isfinite(sd) or sd == 0:
            raise ValueError(f"modality {m} is constant inside the brain mask")
        out[m][mask] = ((v - mu) / sd).astype(np.float32)
    return out


def crop_to_box(vol: np.ndarray, box: CropBox) -> np.ndarray:
    """vol: [..., X, Y, Z] → [..., W', H', depth] with zeros outside the grid."""
    X, Y = vol.shape[-3], vol.shape[-2]
    out = np.zeros(vol.shape[:-3] + (box.width, box.height, box.depth), dtype=vol.dtype)
    si0, si1 = max(box.i0, 0), min(box.i0 + box.width, X)
    sj0, sj1 = max(box.j0, 0), min(box.j0 + box.height, Y)
    out[..., si0 - box.i0:si1 - box.i0, sj0 - box.j0:sj1 - box.j0, :] = \
        vol[..., si0:si1, sj0:sj1, box.k0:box.k0 + box.depth]
    return out


def preprocess(volumes: np.ndarray) -> tuple[np.ndarray, CropBox]:
    """volumes [4, X, Y, Z] (t1, t1ce, t2, flair) → (slices [depth, 4, H', W'] float32, box).

    The NCHW slice k of the result is the contract's NHWC network input for that slice, transposed.
    """
    mask = brain_mask(volumes)
    box = crop_box(mask)
    z = crop_to_box(zscore(volumes, mask), box)          # [4, W', H', D]
    return np.ascontiguousarray(z.transpose(3, 0, 2, 1)), box  # [D, 4, H', W']


def crop_labels(labels: np.ndarray, box: CropBox) -> np.ndarray:
    """labels [X, Y, Z] → [depth, H', W'] (same layout as preprocess)."""
    return np.ascontiguousarray(crop_to_box(labels, box).transpose(2, 1, 0))


def uncrop(pred: np.ndarray, box: CropBox, shape: tuple[int, int, int]) -> np.ndarray:
    """pred [depth, H', W'] on the box → [X, Y, Z] label map; only the brain's bounding box is
    copied back (padded voxels and everything outside are background), as in src/core."""
    out = np.zeros(shape, dtype=pred.dtype)
    src = pred.transpose(2, 1, 0)  # [W', H', depth]
    (a0, a1), (b0, b1) = box.brain_i, box.brain_j
    out[a0:a1 + 1, b0:b1 + 1, box.k0:box.k0 + box.depth] = \
        src[a0 - box.i0:a1 + 1 - box.i0, b0 - box.j0:b1 + 1 - box.j0, :]
    return out


def stats_slice_indices(depth: int, k: int) -> list[int]:
    """Indices (into the cropped depth) of the contract's K statistics slices (§4)."""
    return [int(np.floor((s + 0.5) * depth / k)) for s in range(k)]
