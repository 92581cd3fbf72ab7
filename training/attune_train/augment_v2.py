"""Recipe v2's augmentation: v1's geometry, wider, plus the intensity, contrast and resolution
changes that separate institutions (scanner gain, gamma, bias field, noise, thick or
low-resolution acquisitions such as BraTS2021_01426's T1/FLAIR).

Every random number comes from the CPU generator `g` (then moved to the batch's device), so a
run is reproducible from the seed and resumable from the generator's saved state, on CPU or CUDA.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from .data import warp

# Ranges (per sample, per modality where it says so). Why these: v1's ±10 % gain/offset left
# the model sensitive to contrast differences the cross-institution scans show; these are in
# the range nnU-Net's default augmentation uses (gain 0.75–1.25, gamma 0.7–1.5, scale 0.7–1.4).
ROTATE_DEG = 20.0
SCALE = (0.85, 1.2)
GAIN = (0.75, 1.25)
OFFSET = 0.25
GAMMA = (0.7, 1.5)
P_GAMMA = 0.3
BIAS_STRENGTH = 0.3     # log-amplitude of a smooth multiplicative field
P_BIAS = 0.3
P_LOWRES = 0.25         # per modality
LOWRES_FACTOR = (1.5, 3.0)
P_NOISE = 0.15
NOISE_SD = (0.0, 0.1)


def _u(g: torch.Generator, lo: float, hi: float, *shape) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(*shape, generator=g)


def intensity_v2(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Per-modality gain/offset, gamma, bias field, low resolution and noise, inside the brain only."""
    n, c, h, w = x.shape
    dev = x.device
    brain = (x != 0).any(dim=1, keepdim=True)
    to = lambda t: t.to(dev)
    # gamma on the in-brain range of each channel: x → lo + (hi − lo)·((x − lo)/(hi − lo))^γ
    gamma = torch.where(torch.rand(n, c, generator=g) < P_GAMMA, _u(g, *GAMMA, n, c), torch.ones(n, c))
    big = torch.finfo(x.dtype).max
    lo = torch.where(brain, x, torch.full_like(x, big)).amin(dim=(2, 3), keepdim=True)
    hi = torch.where(brain, x, torch.full_like(x, -big)).amax(dim=(2, 3), keepdim=True)
    span = (hi - lo).clamp_min(1e-6)
    x = lo + span * ((x - lo) / span).clamp(0, 1) ** to(gamma)[:, :, None, None]
    x = x * to(_u(g, *GAIN, n, c, 1, 1)) + to(_u(g, -OFFSET, OFFSET, n, c, 1, 1))
    # bias field: a 4×4 grid of log-gains, smoothly upsampled (one field per sample and modality)
    use_bias = to(torch.rand(n, c, 1, 1, generator=g) < P_BIAS)
    field = F.interpolate(to(_u(g, -BIAS_STRENGTH, BIAS_STRENGTH, n, c, 4, 4)), size=(h, w), mode="bicubic", align_corners=True)
    x = torch.where(use_bias, x * torch.exp(field), x)
    # low resolution: down-sample by 1.5–3× along one in-plane axis, back up (thick slices seen in-plane)
    lowres = torch.rand(n, c, generator=g) < P_LOWRES
    factor = _u(g, *LOWRES_FACTOR, n)
    axis = torch.rand(n, generator=g) < 0.5
    for i in torch.nonzero(lowres.any(1)).flatten().tolist():
        f = float(factor[i])
        size = (max(1, round(h / f)), w) if axis[i] else (h, max(1, round(w / f)))
        low = F.interpolate(F.interpolate(x[i:i + 1], size=size, mode="area"), size=(h, w), mode="bilinear", align_corners=False)
        x[i] = torch.where(to(lowres[i])[:, None, None], low[0], x[i])
    noisy = to(torch.rand(n, 1, 1, 1, generator=g) < P_NOISE)
    sd = to(_u(g, *NOISE_SD, n, 1, 1, 1))
    x = torch.where(noisy, x + sd * to(torch.randn(n, c, h, w, generator=g)), x)
    return torch.where(brain, x, torch.zeros_like(x))


def spatial(x: torch.Tensor, y: torch.Tensor, g: torch.Generator, rotate_deg: float, scale: tuple[float, float]):
    """Flips, rotation, isotropic scale; bilinear for images, nearest for labels (no invented class)."""
    n = x.shape[0]
    ang = (torch.rand(n, generator=g) * 2 - 1) * math.radians(rotate_deg)
    sc = _u(g, *scale, n)
    fy = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    fx = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    return warp(x, y, ang, sc, fx, fy)


def augment_v2(x: torch.Tensor, y: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    return spatial(intensity_v2(x, g), y, g, ROTATE_DEG, SCALE)
