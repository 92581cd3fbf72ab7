"""Resumable training state: model, optimiser, scheduler, every RNG the loop draws from, step.

A checkpoint is a folder of two files, each under the device tool's 16 MiB per-file limit for
the v1/v2 network (~2 M parameters): `state.pt` (model, scheduler, RNGs, step, phase, metadata)
and `optim.pt` (AdamW's moments, ~2× the model). Both are written to a temporary name and
renamed, so a run killed mid-write leaves the previous checkpoint intact.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import torch


@dataclass
class TrainState:
    model: torch.nn.Module
    opt: torch.optim.Optimizer
    sched: object | None          # an LR scheduler, or None (fine-tuning has none)
    rng: np.random.Generator      # the slice sampler's
    g: torch.Generator            # the augmentation's (CPU)
    step: int = 0
    phase: str = "train"          # "train" → "finetune" → "done"
    meta: dict = field(default_factory=dict)  # carried through resumes (e.g. metrics measured so far)


def _atomic_save(obj, path: str) -> None:
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def save_checkpoint(folder: str, s: TrainState) -> None:
    os.makedirs(folder, exist_ok=True)
    _atomic_save(s.opt.state_dict(), os.path.join(folder, "optim.pt"))
    _atomic_save({
        "model": {k: v.detach().cpu() for k, v in s.model.state_dict().items()},
        "sched": s.sched.state_dict() if s.sched is not None else None,
        "rng": s.rng.bit_generator.state,
        "g": s.g.get_state(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "step": s.step, "phase": s.phase, "meta": s.meta,
    }, os.path.join(folder, "state.pt"))


def read_checkpoint(folder: str) -> dict:
    """The saved dict (on CPU), without applying it: callers first rebuild the phase it names."""
    # Our own files, holding numpy RNG state and scheduler state beside tensors: torch ≥ 2.6 would
    # refuse them under its default weights_only=True (the GPU machine runs torch 2.11).
    ck = torch.load(os.path.join(folder, "state.pt"), map_location="cpu", weights_only=False)
    ck["optim"] = torch.load(os.path.join(folder, "optim.pt"), map_location="cpu", weights_only=False)
    return ck


def apply_checkpoint(ck: dict, s: TrainState) -> None:
    """Restore everything into `s`, whose optimiser/scheduler must be built like the saved ones
    (same phase). The optimiser state follows the model's device (load_state_dict casts it)."""
    s.model.load_state_dict(ck["model"])
    s.opt.load_state_dict(ck["optim"])
    if s.sched is not None:
        s.sched.load_state_dict(ck["sched"])
    s.rng.bit_generator.state = ck["rng"]
    s.g.set_state(ck["g"])
    torch.set_rng_state(ck["torch_rng"])
    if ck.get("cuda_rng") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(ck["cuda_rng"])
    s.step, s.phase, s.meta = ck["step"], ck["phase"], ck["meta"]
