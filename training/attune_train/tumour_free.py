"""Tumour-free copies of real scans: the healthy hemisphere mirrored over the one with tumour.

A clinician also drops scans without tumour; the only healthy heads with all four BraTS
modalities we can make are these. Used two ways: evaluation (how much tumour a model invents on
a head that has none, issue 20) and training (tumour-free samples, recipe v2).

Arrays are BraTS's [X, Y, Z] with X the left–right axis (LPS header). The mid-sagittal plane is
the x = c/2 (c an integer, so a voxel mirrors onto a voxel) that makes the two halves of the
brain most alike. Tumour often reaches a few voxels across it (edema along the corpus callosum);
then the plane is moved just past the tumour's edge, by at most MAX_SHIFT_VOXELS (the copy's
midline structures are then off by that much, which no tumour label describes either way). A
scan whose tumour reaches further across has no healthy hemisphere and gives None.
"""
from __future__ import annotations

import numpy as np

SEARCH_VOXELS = 10   # how far from the brain's bounding-box centre the plane may lie
MARGIN_VOXELS = 2    # tumour must stay this far from the plane
MAX_SHIFT_VOXELS = 8  # how far the plane may move off the symmetry plane to clear the tumour


def mid_sagittal(vols: np.ndarray, labels: np.ndarray) -> int:
    """Twice the x of the plane of best left–right symmetry (tumour voxels ignored)."""
    brain = (vols != 0).any(0)
    xs = np.nonzero(brain.any((1, 2)))[0]
    centre2 = int(xs.min() + xs.max())
    # one intensity per voxel: the modalities z-scored over the brain, summed
    img = np.zeros(brain.shape, np.float32)
    for v in vols:
        b = v[brain]
        img += np.where(brain, (v - b.mean()) / (b.std() + 1e-6), 0)
    ok = brain & (labels == 0)
    X = img.shape[0]
    best, best_c = -np.inf, centre2
    for c2 in range(centre2 - 2 * SEARCH_VOXELS, centre2 + 2 * SEARCH_VOXELS + 1):
        x = np.arange(X)
        m = c2 - x
        valid = (m >= 0) & (m < X)
        a, b = img[x[valid]], img[m[valid]]
        both = ok[x[valid]] & ok[m[valid]]
        if both.sum() < 1000:
            continue
        r = np.corrcoef(a[both], b[both])[0, 1]
        if r > best:
            best, best_c = r, c2
    return best_c


def mirror_plane(vols: np.ndarray, labels: np.ndarray) -> tuple[int, int, np.ndarray] | None:
    """(twice the mirror plane's x, twice its distance from the symmetry plane, the x columns to
    overwrite), or None when the tumour is not confined to one hemisphere."""
    tumour_x = np.nonzero((labels > 0).any((1, 2)))[0]
    c2 = mid_sagittal(vols, labels)
    x = np.arange(vols.shape[1])
    if len(tumour_x) == 0:
        return c2, 0, np.zeros_like(x, bool)
    centroid2 = 2 * float(np.nonzero(labels > 0)[0].mean())
    if centroid2 > c2:   # tumour at larger x: the plane must lie below its smallest x
        plane2 = min(c2, 2 * int(tumour_x.min()) - 2 * MARGIN_VOXELS)
        side = 2 * x > plane2
    else:
        plane2 = max(c2, 2 * int(tumour_x.max()) + 2 * MARGIN_VOXELS)
        side = 2 * x < plane2
    if abs(plane2 - c2) > 2 * MAX_SHIFT_VOXELS:
        return None
    return plane2, abs(plane2 - c2), side


def mirror_tumour_free(vols: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(vols with the tumour hemisphere replaced by the mirrored healthy one, all-zero labels),
    or None when the tumour is not confined to one hemisphere. Inputs are not modified."""
    plane = mirror_plane(vols, labels)
    if plane is None:
        return None
    c2, _, side = plane
    X = vols.shape[1]
    out = vols.copy()
    for xi in np.nonzero(side)[0]:
        m = c2 - xi
        out[:, xi] = vols[:, m] if 0 <= m < X else 0
    return out, np.zeros_like(labels)
