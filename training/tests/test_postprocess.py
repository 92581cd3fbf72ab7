"""Post-processing rules on volumes with a known answer, and the TS parity fixture is current."""
import json
import os

import numpy as np

from attune_train.fixtures import POSTPROCESS_FIXTURE, postprocess_fixture
from attune_train.metrics import hd95
from attune_train.postprocess import component_sizes, postprocess, remove_small_components, small_et_to_ncr


def tumour():
    v = np.zeros((12, 10, 8), np.uint8)
    v[1:6, 1:6, 1:6] = 2      # 125-voxel tumour, ED shell ...
    v[2:5, 2:5, 2:5] = 4      # ... ET ...
    v[3, 3, 3] = 1            # ... NCR core
    v[10:12, 8, 7] = 4        # a far-away 2-voxel speck
    return v


def test_components_are_6_connected():
    m = np.zeros((6, 6, 6), bool)
    m[1, 1, 1] = m[2, 2, 2] = True           # diagonal neighbours only: two components
    m[4, 4, 3:5] = True                       # face neighbours: one
    _, sizes = component_sizes(m)
    assert sorted(sizes[1:].tolist()) == [1, 1, 2]


def test_small_components_go_whatever_their_label():
    v = tumour()
    out = remove_small_components(v, 3)
    assert out[10, 8, 7] == 0 and out[11, 8, 7] == 0
    kept = v.copy()
    kept[10:12, 8, 7] = 0
    np.testing.assert_array_equal(out, kept)
    np.testing.assert_array_equal(remove_small_components(v, 2), v)   # exactly the threshold stays
    assert v[10, 8, 7] == 4                                            # input untouched


def test_small_et_becomes_ncr_only_below_the_threshold():
    v = np.zeros((5, 5, 5), np.uint8)
    v[1:4, 1:4, 1:4] = 2
    v[2, 2, 1:4] = 4  # 3 ET voxels
    out = small_et_to_ncr(v, 4)
    assert (out == 4).sum() == 0 and (out == 1).sum() == 3
    np.testing.assert_array_equal(small_et_to_ncr(v, 3), v)


def test_components_before_et_count():
    v = tumour()  # ET: 26 in the core (one of its 27 is NCR) + 2 in the speck
    assert ((postprocess(v, 0, 28) == 4).sum()) == 28            # 28 ≥ 28: kept
    out = postprocess(v, 3, 28)                                   # speck removed first: 26 < 28
    assert (out == 4).sum() == 0 and (out == 1).sum() == 27


def test_hd95_known_shift():
    ref = np.zeros((20, 20, 20), np.uint8)
    ref[5:10, 5:10, 5:10] = 2
    pred = np.zeros_like(ref)
    pred[8:13, 5:10, 5:10] = 2                 # the same cube, 3 voxels along i
    assert hd95(pred, ref, (2,)) == 3.0
    assert hd95(pred, ref, (2,), spacing=(2.0, 1.0, 1.0)) == 6.0
    assert hd95(np.zeros_like(ref), ref, (2,)) == np.sqrt(3 * 20 ** 2)
    assert hd95(pred, np.zeros_like(ref), (2,)) is None


def test_ts_parity_fixture_is_what_postprocess_writes_now():
    """src/core/postprocess checks the TS twin against this file; it must not go stale."""
    with open(POSTPROCESS_FIXTURE) as f:
        assert json.load(f) == json.loads(json.dumps(postprocess_fixture()))
