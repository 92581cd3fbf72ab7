"""A few trainer steps on tiny synthetic cases (CI smoke; no real data needed)."""
import numpy as np
import torch

from attune_train.data import Case, SliceSampler, augment
from attune_train.preprocess import CropBox
from attune_train.train import dice_ce_loss
from attune_train.model import AttuneNet


def tiny_case(seed):
    rng = np.random.default_rng(seed)
    slices = rng.normal(size=(6, 4, 32, 32)).astype(np.float32)
    classes = np.zeros((6, 32, 32), np.int64)
    classes[2:5, 10:20, 12:22] = 2
    classes[3, 13:17, 15:19] = 3
    slices[:, 3][classes > 0] += 2  # a FLAIR-like bright tumour
    return Case(f"s{seed}", slices, classes, None, CropBox(0, 0, 0, 32, 32, 6), (32, 32, 6))


def test_a_few_steps_lower_the_loss():
    torch.manual_seed(0)
    cases = [tiny_case(0), tiny_case(1)]
    sampler = SliceSampler(cases, 32, np.random.default_rng(0))
    g = torch.Generator().manual_seed(0)
    m = AttuneNet((4, 8, 8, 8, 8))
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    x, y = sampler.batch(4)
    first = None
    for _ in range(25):
        xa, ya = augment(x, y, g)
        loss = dice_ce_loss(m(xa), ya)
        first = first if first is not None else loss.item()
        opt.zero_grad(); loss.backward(); opt.step()
    assert loss.item() < first
    assert set(ya.unique().tolist()) <= {0, 2, 3}  # nearest resampling invents no class
