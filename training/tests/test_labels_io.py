"""Seg files as stored in the wild: uint8, uint16, int16 (BraTS 2021), float32 with 3 = ET (2023)."""
import os

import nibabel as nib
import numpy as np
import pytest

from attune_train.data import read_seg
from attune_train.splits import HELD_OUT, V2_TRAIN

DATA = os.path.join(os.path.dirname(__file__), "../../../shared/data/brats2021")


def labels():
    a = np.zeros((6, 5, 4), np.int64)
    a[1:3, 1:3, 1] = 1
    a[3, 2, 2] = 2
    a[4, 4, 3] = 4
    return a


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16, np.float32])
def test_integer_and_float_storage_read_the_same(tmp_path, dtype):
    p = str(tmp_path / "x_seg.nii.gz")
    nib.save(nib.Nifti1Image(labels().astype(dtype), np.eye(4)), p)
    got = read_seg(p)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, labels())


def test_brats2023_et_as_3_becomes_4(tmp_path):
    a = labels()
    a[a == 4] = 3
    p = str(tmp_path / "y_seg.nii.gz")
    nib.save(nib.Nifti1Image(a.astype(np.float32), np.eye(4)), p)
    np.testing.assert_array_equal(read_seg(p), labels())


@pytest.mark.parametrize("bad,message", [(5, "unexpected label values \\[5\\]"), (2.5, "not integers")])
def test_unknown_or_fractional_labels_are_refused(tmp_path, bad, message):
    a = labels().astype(np.float32)
    a[0, 0, 0] = bad
    p = str(tmp_path / "z_seg.nii.gz")
    nib.save(nib.Nifti1Image(a, np.eye(4)), p)
    with pytest.raises(ValueError, match=message):
        read_seg(p)


def test_both_3_and_4_is_ambiguous(tmp_path):
    a = labels()
    a[0, 0, 0] = 3
    p = str(tmp_path / "w_seg.nii.gz")
    nib.save(nib.Nifti1Image(a.astype(np.uint8), np.eye(4)), p)
    with pytest.raises(ValueError, match="3 and 4 both"):
        read_seg(p)


@pytest.mark.skipif(not os.path.isdir(os.path.join(DATA, "BraTS2021_00012")), reason="real data not at hand")
def test_v2_cases_read_whatever_their_seg_type():
    """The 16 real cases store seg as uint8, uint16 or int16; every one reads as {0,1,2,4}."""
    stored = set()
    for name in V2_TRAIN + HELD_OUT:
        p = os.path.join(DATA, name, f"{name}_seg.nii.gz")
        stored.add(str(nib.load(p).header.get_data_dtype()))
        lab = read_seg(p)
        assert set(np.unique(lab).tolist()) <= {0, 1, 2, 4}, name
        if name == "BraTS2021_00012":
            assert int((lab == 4).sum()) == 224  # the tiny ET survives the read
    assert {"uint8", "uint16", "int16"} <= stored
