"""Tumour-free copies (tumour_free.py) and the sampler that draws crops from them."""
import numpy as np
import torch

from attune_train.data import SliceSampler, case_from_arrays
from attune_train.tumour_free import mid_sagittal, mirror_tumour_free


def head(X=40, Y=32, Z=12, centre=19.5):
    """A left–right symmetric 'brain' about x = centre: an ellipsoid of smooth texture."""
    x, y, z = np.meshgrid(np.arange(X), np.arange(Y), np.arange(Z), indexing="ij")
    inside = ((x - centre) / 14) ** 2 + ((y - Y / 2) / 12) ** 2 + ((z - Z / 2) / 5) ** 2 <= 1
    d = np.abs(x - centre)  # texture depends on the distance to the plane only: symmetric
    vols = np.stack([100 + 30 * np.sin(d / (2 + m)) + 10 * np.cos(y / 3.0) for m in range(4)]).astype(np.float32)
    return np.where(inside, vols, 0).astype(np.float32), inside


def test_the_plane_of_symmetry_is_found():
    vols, _ = head(centre=21.0)
    assert mid_sagittal(vols, np.zeros(vols.shape[1:], np.int16)) == 42


def test_a_one_sided_tumour_is_replaced_by_the_mirrored_healthy_side():
    vols, inside = head()
    labels = np.zeros(vols.shape[1:], np.int16)
    labels[26:30, 12:18, 4:8] = 2
    lesioned = vols.copy()
    lesioned[:, 26:30, 12:18, 4:8] = 400  # a bright lesion on the larger-x side
    before = lesioned.copy()
    out, lab = mirror_tumour_free(lesioned, labels)
    assert np.array_equal(lesioned, before)           # input untouched
    assert not lab.any()
    assert out[:, 26:30, 12:18, 4:8].max() < 400       # the lesion is gone
    np.testing.assert_allclose(out[:, 26:30], vols[:, 39 - 29:39 - 25][:, ::-1])  # mirrored from x' = 39 - x
    np.testing.assert_array_equal(out[:, :19], lesioned[:, :19])  # the healthy side is unchanged


def test_a_tumour_across_the_midline_gives_none():
    vols, _ = head()
    labels = np.zeros(vols.shape[1:], np.int16)
    labels[6:34, 12:18, 4:8] = 1
    assert mirror_tumour_free(vols, labels) is None


def test_the_sampler_draws_tumour_free_crops_only_when_asked_and_keeps_v1_draws_otherwise():
    vols, _ = head()
    labels = np.zeros(vols.shape[1:], np.int16)
    labels[26:30, 12:18, 4:8] = 2
    case = case_from_arrays("c", vols, labels)
    healthy = case_from_arrays("c-tumour-free", *mirror_tumour_free(vols, labels))
    plain = SliceSampler([case], 16, np.random.default_rng(3)).batch(6)
    same = SliceSampler([case], 16, np.random.default_rng(3), healthy=[healthy], healthy_fraction=0.0).batch(6)
    assert all(torch.equal(a, b) for a, b in zip(plain, same))
    _, y = SliceSampler([case], 16, np.random.default_rng(3), healthy=[healthy], healthy_fraction=1.0).batch(20)
    assert int(y.max()) == 0
