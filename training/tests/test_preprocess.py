import numpy as np
import pytest

from attune_train.preprocess import crop_box, preprocess, stats_slice_indices, uncrop


def synthetic(shape=(40, 36, 20), seed=0):
    rng = np.random.default_rng(seed)
    vols = np.zeros((4,) + shape, np.float32)
    vols[:, 5:30, 7:25, 3:15] = rng.uniform(10, 100, (4, 25, 18, 12))
    return vols


def test_box_is_padded_to_16_symmetrically():
    box = crop_box(synthetic()[0] != 0)
    assert (box.width, box.height, box.depth) == (32, 32, 12)
    # extent 25 along i → pad 7: 3 before, 4 after; extent 18 along j → pad 14: 7 before
    assert (box.i0, box.j0, box.k0) == (5 - 3, 7 - 7, 3)


def test_zscore_inside_mask_and_zero_outside():
    vols = synthetic()
    slices, box = preprocess(vols)
    assert slices.shape == (12, 4, 32, 32) and slices.dtype == np.float32
    brain = slices[:, 0] != 0
    for c in range(4):
        v = slices[:, c][brain].astype(np.float64)
        assert abs(v.mean()) < 1e-5 and abs(v.std() - 1) < 1e-5
    assert brain.sum() == 25 * 18 * 12


def test_layout_is_contract_h_equals_j():
    vols = synthetic()
    vols[0, 10, 20, 8] = 1000  # i=10, j=20, k=8: a bright voxel
    slices, box = preprocess(vols)
    k, h, w = np.unravel_index(np.argmax(slices[:, 0]), slices[:, 0].shape)
    assert (k + box.k0, h + box.j0, w + box.i0) == (8, 20, 10)


def test_uncrop_inverts_crop():
    vols = synthetic()
    slices, box = preprocess(vols)
    pred = (slices[:, 1] > 0).astype(np.uint8)
    back = uncrop(pred, box, vols.shape[1:])
    assert back.shape == vols.shape[1:]
    # uncrop puts each voxel back where it came from
    zs = np.zeros(vols.shape[1:], bool)
    zs[5:30, 7:25, 3:15] = True
    expected = np.zeros(vols.shape[1:], np.uint8)
    mu, sd = vols[1][zs].astype(np.float64).mean(), vols[1][zs].astype(np.float64).std()
    expected[zs] = ((vols[1][zs] - mu) / sd > 0)
    assert np.array_equal(back, expected)


def test_constant_modality_is_refused():
    vols = synthetic()
    vols[2][vols[2] != 0] = 5.0
    with pytest.raises(ValueError, match="constant"):
        preprocess(vols)


def test_stats_slices_spread_over_extent():
    assert stats_slice_indices(80, 8) == [5, 15, 25, 35, 45, 55, 65, 75]
    assert stats_slice_indices(3, 8) == [0, 0, 0, 1, 1, 2, 2, 2]
