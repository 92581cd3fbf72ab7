"""The contract's network (models/README.md §3) in PyTorch, NCHW."""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

from . import MODALITIES

WIDTHS = (16, 32, 64, 128, 256)
LEAKY = 0.01
BN_EPS = 1e-5


class Normalizer(nn.Module):
    """Per-modality shallow CNN, residual, identity at initialisation."""

    def __init__(self, hidden: int = 16):
        super().__init__()
        self.conv1 = nn.Conv2d(1, hidden, 3, padding=1)
        self.conv2 = nn.Conv2d(hidden, hidden, 3, padding=1)
        self.conv3 = nn.Conv2d(hidden, 1, 3, padding=1)
        nn.init.zeros_(self.conv3.weight)
        nn.init.zeros_(self.conv3.bias)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), LEAKY)
        h = F.leaky_relu(self.conv2(h), LEAKY)
        return x + self.conv3(h)


class ConvBN(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS)

    def forward(self, x):
        return F.leaky_relu(self.bn(self.conv(x)), LEAKY)


class TConvBN(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv = nn.ConvTranspose2d(cin, cout, 2, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS)

    def forward(self, x):
        return F.leaky_relu(self.bn(self.conv(x)), LEAKY)


class AttuneNet(nn.Module):
    def __init__(self, widths=WIDTHS, in_ch: int = 4, classes: int = 4):
        super().__init__()
        f = widths
        self.widths = tuple(widths)
        self.norms = nn.ModuleDict({m: Normalizer() for m in MODALITIES})
        self.enc0 = nn.ModuleDict({"conv1": ConvBN(in_ch, f[0]), "conv2": ConvBN(f[0], f[0])})
        for l in (1, 2, 3):
            setattr(self, f"down{l}", nn.ModuleDict({"conv1": ConvBN(f[l - 1], f[l], 2), "conv2": ConvBN(f[l], f[l])}))
        self.bottleneck = nn.ModuleDict({"conv1": ConvBN(f[3], f[4], 2), "conv2": ConvBN(f[4], f[4])})
        for l in (4, 3, 2, 1):
            setattr(self, f"up{l}", nn.ModuleDict({
                "tconv": TConvBN(f[l], f[l - 1]),
                "conv1": ConvBN(2 * f[l - 1], f[l - 1]),
                "conv2": ConvBN(f[l - 1], f[l - 1]),
            }))
        self.head = nn.Conv2d(f[0], classes, 1)

    @staticmethod
    def _block(b, x):
        return b["conv2"](b["conv1"](x))

    def normalize(self, x):
        return torch.cat([self.norms[m](x[:, i:i + 1]) for i, m in enumerate(MODALITIES)], dim=1)

    def forward(self, x):
        x = self.normalize(x)
        s0 = self._block(self.enc0, x)
        s1 = self._block(self.down1, s0)
        s2 = self._block(self.down2, s1)
        s3 = self._block(self.down3, s2)
        h = self._block(self.bottleneck, s3)
        for l, skip in ((4, s3), (3, s2), (2, s1), (1, s0)):
            b = getattr(self, f"up{l}")
            h = b["conv2"](b["conv1"](torch.cat([b["tconv"](h), skip], dim=1)))
        return self.head(h)

    def named_conv_bn(self):
        """(contract name, ConvBN|TConvBN) in forward order."""
        out = []
        for blk in ("enc0", "down1", "down2", "down3", "bottleneck"):
            b = getattr(self, blk)
            out += [(f"{blk}_conv1", b["conv1"]), (f"{blk}_conv2", b["conv2"])]
        for l in (4, 3, 2, 1):
            b = getattr(self, f"up{l}")
            out += [(f"up{l}_tconv", b["tconv"]), (f"up{l}_conv1", b["conv1"]), (f"up{l}_conv2", b["conv2"])]
        return out


ADAPT_BN_BLOCKS = ("enc0", "down1", "down2", "down3")


def adapt_bn_names(model: AttuneNet) -> list[str]:
    return [f"{n}_bn" for n, _ in model.named_conv_bn() if n.split("_")[0] in ADAPT_BN_BLOCKS]


def bn_input_stats(model: AttuneNet, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, tuple[torch.Tensor, torch.Tensor]]]:
    """Forward in the model's current mode; also per BN layer the (mean, population var) per
    channel of the features entering it, over N×H×W."""
    stats: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    hooks = []
    for name, m in model.named_conv_bn():
        def hook(_mod, inp, _out, name=name):
            f = inp[0]
            stats[f"{name}_bn"] = (f.mean(dim=(0, 2, 3)), f.var(dim=(0, 2, 3), unbiased=False))
        hooks.append(m.bn.register_forward_hook(hook))
    try:
        logits = model(x)
    finally:
        for h in hooks:
            h.remove()
    return logits, stats
