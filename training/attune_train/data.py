"""Case loading (BraTS folders), training-slice sampling and augmentation."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from . import LABELS, MODALITIES
from .preprocess import CropBox, crop_labels, preprocess

LABEL_TO_CLASS = np.zeros(5, dtype=np.int64)
for c, lab in enumerate(LABELS):
    LABEL_TO_CLASS[lab] = c


@dataclass
class Case:
    name: str
    slices: np.ndarray        # [D, 4, H', W'] float32 (contract §2)
    classes: np.ndarray | None  # [D, H', W'] int64 in 0..3
    labels: np.ndarray | None   # original label volume [X, Y, Z]
    box: CropBox
    shape: tuple[int, int, int]


BRATS_LABEL_VALUES = frozenset(LABELS)


def labels_from_array(raw: np.ndarray, source: str = "seg") -> np.ndarray:
    """A stored label array → int64 BraTS labels {0, 1, 2, 4}.

    Real BraTS segs come as uint8, uint16, int16 (and float32 in the 2023 release); the values
    matter, not the type. Non-integer values or labels outside the convention are refused with
    a message naming them, rather than silently becoming a wrong class through LABEL_TO_CLASS.
    BraTS 2023+ files write ET as 3: accepted when no 4 is present and mapped to 4.
    """
    if not np.issubdtype(raw.dtype, np.integer):
        rounded = np.rint(raw)
        if not np.array_equal(rounded, raw):
            raise ValueError(f"{source}: label values are not integers ({raw.dtype})")
        raw = rounded
    lab = raw.astype(np.int64)
    values = set(np.unique(lab).tolist())
    if 3 in values:
        if 4 in values:
            raise ValueError(f"{source}: labels 3 and 4 both present; expected BraTS 2021 (4 = ET) or 2023 (3 = ET)")
        lab[lab == 3] = 4  # BraTS 2023+ convention
        values = (values - {3}) | {4}
    unknown = sorted(values - BRATS_LABEL_VALUES)
    if unknown:
        raise ValueError(f"{source}: unexpected label values {unknown}; expected a subset of {sorted(BRATS_LABEL_VALUES)}")
    return lab


def read_seg(path: str) -> np.ndarray:
    """BraTS labels of a seg file, whatever integer (or float) type it is stored as."""
    import nibabel as nib  # lazy: the device machine trains from .npz packages without nibabel
    return labels_from_array(np.asanyarray(nib.load(path).dataobj), os.path.basename(path))


def case_from_arrays(name: str, vols: np.ndarray, labels: np.ndarray | None) -> Case:
    """vols [4, X, Y, Z] in MODALITIES order (raw intensities), labels [X, Y, Z] or None."""
    slices, box = preprocess(vols.astype(np.float32, copy=False))
    classes = None if labels is None else LABEL_TO_CLASS[crop_labels(labels, box)]
    return Case(name, slices, classes, labels, box, tuple(vols.shape[1:]))


def read_case_arrays(folder: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(vols [4, X, Y, Z] float32 in MODALITIES order, labels or None) of a BraTS case folder."""
    import nibabel as nib
    name = os.path.basename(folder.rstrip("/"))
    vols = []
    for m in MODALITIES:
        vols.append(np.asarray(nib.load(os.path.join(folder, f"{name}_{m}.nii.gz")).dataobj, dtype=np.float32))
    seg_path = os.path.join(folder, f"{name}_seg.nii.gz")
    labels = read_seg(seg_path) if os.path.exists(seg_path) else None
    return np.stack(vols), labels


def load_case(folder: str) -> Case:
    name = os.path.basename(folder.rstrip("/"))
    return case_from_arrays(name, *read_case_arrays(folder))


class SliceSampler:
    """Random training crops: half of them centred near tumour, the rest anywhere in the brain."""

    def __init__(self, cases: list[Case], crop: int, rng: np.random.Generator, tumour_fraction: float = 0.5,
                 healthy: list[Case] | None = None, healthy_fraction: float = 0.0):
        self.cases, self.crop, self.rng, self.tumour_fraction = cases, crop, rng, tumour_fraction
        self.tumour_slices = [np.nonzero(c.classes.reshape(c.classes.shape[0], -1).max(1) > 0)[0] for c in cases]
        # tumour-free heads (tumour_free.py), drawn for this share of the crops; with none, the
        # draws are exactly those of a sampler without them (v1 reproduces bit for bit)
        self.healthy, self.healthy_fraction = healthy or [], healthy_fraction if healthy else 0.0

    def _pick(self):
        if self.healthy_fraction > 0 and self.rng.random() < self.healthy_fraction:
            case = self.healthy[self.rng.integers(len(self.healthy))]
            return case, np.zeros(0, np.int64)
        ci = self.rng.integers(len(self.cases))
        return self.cases[ci], self.tumour_slices[ci]

    def _one(self):
        case, tumour_slices = self._pick()
        D, _, H, W = case.slices.shape
        tumour = self.rng.random() < self.tumour_fraction and len(tumour_slices) > 0
        k = self.rng.choice(tumour_slices) if tumour else self.rng.integers(D)
        img, lab = case.slices[k], case.classes[k]
        c = self.crop
        if tumour:
            ys, xs = np.nonzero(lab)
            p = self.rng.integers(len(ys))
            cy = ys[p] + self.rng.integers(-c // 4, c // 4 + 1)
            cx = xs[p] + self.rng.integers(-c // 4, c // 4 + 1)
        else:
            cy, cx = self.rng.integers(H), self.rng.integers(W)
        y0 = int(np.clip(cy - c // 2, 0, max(H - c, 0)))
        x0 = int(np.clip(cx - c // 2, 0, max(W - c, 0)))
        out_i = np.zeros((4, c, c), np.float32)
        out_l = np.zeros((c, c), np.int64)
        hh, ww = min(c, H), min(c, W)
        out_i[:, :hh, :ww] = img[:, y0:y0 + hh, x0:x0 + ww]
        out_l[:hh, :ww] = lab[y0:y0 + hh, x0:x0 + ww]
        return out_i, out_l

    def batch(self, n: int):
        items = [self._one() for _ in range(n)]
        return torch.from_numpy(np.stack([a for a, _ in items])), torch.from_numpy(np.stack([b for _, b in items]))


def augment(x: torch.Tensor, y: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Flips, small rotations (±15°) and scales (0.9–1.1), per-modality intensity jitter inside the brain."""
    n = x.shape[0]
    r = lambda *s: torch.rand(*s, generator=g)
    brain = (x != 0).any(dim=1, keepdim=True)
    # intensity: gain 0.9–1.1, offset ±0.1 (random numbers on the CPU generator, then to x's device)
    gain = (0.9 + 0.2 * r(n, 4, 1, 1)).to(x.device)
    off = (-0.1 + 0.2 * r(n, 4, 1, 1)).to(x.device)
    x = torch.where(brain, x * gain + off, torch.zeros_like(x))
    ang = (r(n) * 2 - 1) * math.radians(15)
    sc = 0.9 + 0.2 * r(n)
    fy = torch.where(r(n) < 0.5, -1.0, 1.0)
    fx = torch.where(r(n) < 0.5, -1.0, 1.0)
    return warp(x, y, ang, sc, fx, fy)


def warp(x: torch.Tensor, y: torch.Tensor, ang, sc, fx, fy) -> tuple[torch.Tensor, torch.Tensor]:
    """Rotation, isotropic scale and flips already drawn per item; bilinear for images, nearest
    for labels (no invented class). Shared by v1's and v2's augmentation, whose random
    streams differ only in what they draw."""
    n = x.shape[0]
    cos, sin = torch.cos(ang) / sc, torch.sin(ang) / sc
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1] = cos * fx, -sin
    theta[:, 1, 0], theta[:, 1, 1] = sin, cos * fy
    grid = F.affine_grid(theta.to(x.device), list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    y = F.grid_sample(y[:, None].float(), grid, mode="nearest", padding_mode="zeros", align_corners=False)[:, 0].long()
    return x, y
