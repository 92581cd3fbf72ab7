"""The training loop, resumable at any step (see checkpoint.py): loss, BN freezing, steps."""
from __future__ import annotations

import time
from typing import Callable

import torch
import torch.nn.functional as F

from .checkpoint import TrainState, save_checkpoint


def dice_ce_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    ce = F.cross_entropy(logits, y)
    p = logits.softmax(1)[:, 1:]
    oh = F.one_hot(y, logits.shape[1]).permute(0, 3, 1, 2)[:, 1:].float()
    inter = (p * oh).sum((0, 2, 3))
    den = p.sum((0, 2, 3)) + oh.sum((0, 2, 3))
    return ce + (1 - (2 * inter + 1) / (den + 1)).mean()


def set_bn_eval(model: torch.nn.Module) -> None:
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eval()


def train_steps(s: TrainState, sampler, total: int, batch: int,
                augment: Callable, device: str | torch.device = "cpu",
                log: Callable[[str], None] = print, bn_frozen: bool = False,
                ckpt_dir: str | None = None, ckpt_every: int = 0, deadline: float | None = None,
                label: str = "train") -> bool:
    """Step `s` from s.step to `total`. Saves a checkpoint every `ckpt_every` steps and, when
    `deadline` (time.time()) passes, saves one and returns False so a later `--resume` continues.
    Returns True when `total` was reached. The sampler must draw from `s.rng`."""
    s.model.train()
    if bn_frozen:
        set_bn_eval(s.model)
    t0 = time.time()
    while s.step < total:
        x, y = sampler.batch(batch)
        x, y = augment(x.to(device), y.to(device), s.g)
        loss = dice_ce_loss(s.model(x), y)
        s.opt.zero_grad()
        loss.backward()
        s.opt.step()
        if s.sched is not None:
            s.sched.step()
        s.step += 1
        if s.step % 50 == 1 or s.step == total:
            log(f"[{label}] step {s.step}/{total} loss {loss.item():.4f} ({time.time() - t0:.0f}s this sitting)")
        if ckpt_dir and ckpt_every and s.step % ckpt_every == 0:
            save_checkpoint(ckpt_dir, s)
        if deadline is not None and time.time() > deadline and s.step < total:
            if ckpt_dir:
                save_checkpoint(ckpt_dir, s)
            log(f"[{label}] time limit at step {s.step}/{total}; continue with --resume {ckpt_dir}")
            return False
    return True
