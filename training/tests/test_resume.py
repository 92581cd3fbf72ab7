"""A run interrupted and resumed from its checkpoint ends where the uninterrupted run ends."""
import numpy as np
import pytest
import torch

from attune_train.augment_v2 import augment_v2
from attune_train.checkpoint import TrainState, apply_checkpoint, read_checkpoint, save_checkpoint
from attune_train.data import SliceSampler, augment
from attune_train.loop import train_steps
from attune_train.model import AttuneNet
from test_train_smoke import tiny_case

SMALL = (4, 8, 8, 8, 8)
TOTAL = 8


def fresh(seed: int, cases):
    """Everything a run builds before its first step, from one seed (as train.py does)."""
    torch.manual_seed(seed)
    model = AttuneNet(SMALL)
    rng = np.random.default_rng(seed)
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=TOTAL, pct_start=0.25)
    return TrainState(model, opt, sched, rng, g), SliceSampler(cases, 32, rng)


@pytest.mark.parametrize("aug", [augment, augment_v2], ids=["v1", "v2"])
def test_resumed_run_equals_uninterrupted(tmp_path, aug):
    torch.set_num_threads(1)
    cases = [tiny_case(0), tiny_case(1)]
    quiet = lambda _msg: None

    a, sa = fresh(7, cases)
    assert train_steps(a, sa, TOTAL, 4, aug, log=quiet)

    b, sb = fresh(7, cases)
    ckpt = str(tmp_path / "ckpt")
    # the deadline has passed at once: it stops after the first step with a checkpoint ...
    assert not train_steps(b, sb, TOTAL, 4, aug, log=quiet, ckpt_dir=ckpt, deadline=0.0)
    assert b.step == 1
    # ... and a second sitting stops again after 3 more steps via the periodic checkpoint
    c, sc = fresh(99, cases)  # a different seed: everything must come from the checkpoint
    apply_checkpoint(read_checkpoint(ckpt), c)
    assert train_steps(c, sc, 4, 4, aug, log=quiet, ckpt_dir=ckpt, ckpt_every=2)
    d, sd = fresh(123, cases)
    apply_checkpoint(read_checkpoint(ckpt), d)
    assert d.step == 4
    assert train_steps(d, sd, TOTAL, 4, aug, log=quiet)

    for (name, pa), pd in zip(a.model.state_dict().items(), d.model.state_dict().values()):
        assert torch.allclose(pa.float(), pd.float(), atol=1e-6), name
    assert a.sched.get_last_lr() == d.sched.get_last_lr()
    assert a.rng.random() == d.rng.random()            # the sampler's stream continues identically
    assert torch.equal(torch.rand(3, generator=a.g), torch.rand(3, generator=d.g))


def test_resume_actually_depends_on_the_checkpoint(tmp_path):
    """Guard against a vacuous pass: without restoring, a differently seeded run ends elsewhere."""
    cases = [tiny_case(0), tiny_case(1)]
    a, sa = fresh(7, cases)
    train_steps(a, sa, 3, 4, augment, log=lambda _m: None)
    b, sb = fresh(8, cases)
    train_steps(b, sb, 3, 4, augment, log=lambda _m: None)
    diff = max((pa - pb).abs().max().item() for pa, pb in zip(a.model.parameters(), b.model.parameters()))
    assert diff > 1e-3


def test_checkpoint_files_fit_the_device_transfer_limit(tmp_path):
    """Each file under 16 MiB for the full-size network (the device tool's per-file limit)."""
    model = AttuneNet()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model(torch.randn(1, 4, 32, 32)).sum().backward()
    opt.step()  # creates Adam's moment buffers
    s = TrainState(model, opt, None, np.random.default_rng(0), torch.Generator())
    save_checkpoint(str(tmp_path), s)
    for f in ("state.pt", "optim.pt"):
        assert (tmp_path / f).stat().st_size < 16 * 2**20, f
