"""Full-volume inference, BN recalibration (contract §4) and the KL alignment loss."""
from __future__ import annotations

import numpy as np
import torch

from . import LABELS
from .data import Case
from .model import AttuneNet, bn_input_stats
from .preprocess import stats_slice_indices, uncrop

STATS_SLICES = 8


def device_of(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def predict_case(model: AttuneNet, case: Case, batch: int = 16) -> np.ndarray:
    """Label volume {0,1,2,4} on the original grid (BN in inference mode)."""
    was = model.training
    model.eval()
    out = []
    for s in range(0, case.slices.shape[0], batch):
        x = torch.from_numpy(case.slices[s:s + batch]).to(device_of(model))
        out.append(model(x).argmax(1).cpu().numpy())
    model.train(was)
    classes = np.concatenate(out).astype(np.uint8)
    return uncrop(np.asarray(LABELS, np.uint8)[classes], case.box, case.shape)


def stats_slices(case: Case, k: int = STATS_SLICES) -> torch.Tensor:
    return torch.from_numpy(case.slices[stats_slice_indices(case.slices.shape[0], k)])


@torch.no_grad()
def recalibrate_bn(model: AttuneNet, cases: list[Case], k: int = STATS_SLICES) -> None:
    """Set every BN's running stats to the mean over `cases` of the per-scan statistics of the
    features entering it, on the contract's statistics slices, with the network in inference mode.
    Layers are set in forward order: a layer's input depends only on the layers before it."""
    model.eval()
    xs = [stats_slices(c, k).to(device_of(model)) for c in cases]
    for name, m in model.named_conv_bn():
        means, vars_ = [], []
        for x in xs:
            _, st = bn_input_stats(model, x)
            means.append(st[f"{name}_bn"][0])
            vars_.append(st[f"{name}_bn"][1])
        m.bn.running_mean.copy_(torch.stack(means).mean(0))
        m.bn.running_var.copy_(torch.stack(vars_).mean(0))


KL_EPS = 1e-5


def kl_alignment_loss(model: AttuneNet, x: torch.Tensor) -> torch.Tensor:
    """L = (1/B) Σ_b Σ_c KL(N(μ,σ²) ‖ N(μ̄,σ̄²)) with variances floored at KL_EPS (BN inference mode)."""
    _, st = bn_input_stats(model, x.to(device_of(model)))
    total = 0.0
    bns = dict((f"{n}_bn", m.bn) for n, m in model.named_conv_bn())
    for name, (mu, var) in st.items():
        bn = bns[name]
        v = var + KL_EPS
        rv = bn.running_var + KL_EPS
        total = total + (0.5 * torch.log(rv / v) + (v + (mu - bn.running_mean) ** 2) / (2 * rv) - 0.5).sum()
    return total / len(st)
