import numpy as np
import torch

from attune_train.export import export_model, load_exported, tfjs_tensors
from attune_train.infer import kl_alignment_loss, recalibrate_bn
from attune_train.model import AttuneNet, adapt_bn_names, bn_input_stats

SMALL = (4, 8, 8, 8, 8)


def test_forward_shapes_and_identity_normalizer():
    m = AttuneNet(SMALL).eval()
    x = torch.randn(2, 4, 32, 48)
    assert m(x).shape == (2, 4, 32, 48)
    assert torch.equal(m.normalize(x), x)  # conv3 starts at zero


def test_adapt_set_is_input_and_down_blocks():
    names = adapt_bn_names(AttuneNet(SMALL))
    assert len(names) == 8 and names[0] == "enc0_conv1_bn" and names[-1] == "down3_conv2_bn"
    assert not any(n.startswith(("bottleneck", "up")) for n in names)


def test_export_roundtrip_keeps_every_tensor(tmp_path):
    torch.manual_seed(0)
    m = AttuneNet(SMALL)
    for bn in [mod for mod in m.modules() if isinstance(mod, torch.nn.BatchNorm2d)]:
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
    m.eval()
    export_model(m, str(tmp_path), {"note": "test"})
    back = load_exported(str(tmp_path))
    x = torch.randn(1, 4, 16, 32)
    assert torch.allclose(m(x), back(x), atol=1e-6)
    names = [n for n, _ in tfjs_tensors(m)]
    assert sum(n.endswith("moving_variance") for n in names) == 22


def test_recalibration_zeroes_the_kl_loss_on_a_single_scan():
    """With one calibration scan, running stats equal that scan's statistics: KL ≈ 0 on it."""
    from attune_train.data import Case
    from attune_train.preprocess import CropBox
    torch.manual_seed(0)
    m = AttuneNet(SMALL)
    slices = np.random.default_rng(0).normal(size=(16, 4, 32, 32)).astype(np.float32)
    case = Case("c", slices, None, None, CropBox(0, 0, 0, 32, 32, 16), (32, 32, 16))
    recalibrate_bn(m, [case])
    from attune_train.infer import stats_slices
    assert float(kl_alignment_loss(m, stats_slices(case))) < 1e-4
    other = Case("d", slices * 2 + 1, None, None, case.box, case.shape)
    assert float(kl_alignment_loss(m, stats_slices(other))) > 0.1
    _, st = bn_input_stats(m, stats_slices(case))
    assert len(st) == 22
