"""Packed cases (the device machine's training data) give the contract's input within step/2."""
import numpy as np

from attune_train.data import case_from_arrays
from attune_train.package import load_packed, pack_arrays


def phantom(seed=0):
    rng = np.random.default_rng(seed)
    X, Y, Z = 40, 36, 20
    vols = np.zeros((4, X, Y, Z), np.int16)
    ii, jj, kk = np.meshgrid(np.arange(X), np.arange(Y), np.arange(Z), indexing="ij")
    brain = ((ii - 21) / 14) ** 2 + ((jj - 17) / 12) ** 2 + ((kk - 10) / 8) ** 2 < 1
    for m in range(4):
        vols[m][brain] = rng.integers(200 + 100 * m, 900 + 300 * m, brain.sum())
    labels = np.zeros((X, Y, Z), np.uint8)
    labels[18:24, 15:20, 8:12] = 2
    labels[20:22, 16:18, 9:11] = 4
    return vols, labels


def test_packed_case_matches_the_nifti_path(tmp_path):
    vols, labels = phantom()
    ref = case_from_arrays("p", vols, labels.astype(np.int64))
    p = str(tmp_path / "p.u8.npz.xz")
    pack_arrays(p, "p", vols, labels)
    got = load_packed(p)
    assert got.slices.shape == ref.slices.shape        # same padded crop (contract §2)
    np.testing.assert_array_equal(got.classes, ref.classes)
    np.testing.assert_array_equal(got.slices == 0, ref.slices == 0)  # brain mask exact
    step = max(float(ref.slices[:, m].max() - ref.slices[:, m].min()) for m in range(4)) / 254
    assert np.abs(got.slices - ref.slices).max() <= step / 2 + 1e-5
    assert (got.labels > 0).sum() == (labels > 0).sum()  # nothing lost on the brain-box grid
