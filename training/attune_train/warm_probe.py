"""Does starting from v1's weights help recipe v2 on a CPU budget? (issue 20, item 1)

    /usr/bin/python3 -m attune_train.warm_probe --init-a none --init-b runs/v1.pt --steps 200

Trains the same schedule start (the real run's OneCycle over --total steps, first --steps of
it, same seed, same crops and augmentation) from two initialisations and reports, for each, the
mean training loss over the last 50 steps and the validation scans' Dice (BN running statistics
as training left them, no post-processing). A probe, not a result: it says which start is ahead
after the same CPU time, not where either would end.
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch

from .data import SliceSampler
from .loop import dice_ce_loss
from .recipes import AUGMENTS, recipe_defaults
from .model import AttuneNet
from .train import evaluate, load_named, mean_dice


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../../shared/data/brats2021")
    ap.add_argument("--inits", nargs="+", default=["none"], help="'none' or a state_dict path, one run each")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--total", type=int, default=6000, help="the real run's step count (sets the LR schedule)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    d = recipe_defaults("v2")
    train = [load_named(args.data, n) for n in d["train_cases"]]
    val = [load_named(args.data, n) for n in d["val_cases"]]
    rows = {}
    for init in args.inits:
        torch.manual_seed(18)
        rng, g = np.random.default_rng(18), torch.Generator().manual_seed(18)
        model = AttuneNet()
        if init != "none":
            model.load_state_dict(torch.load(init))
        before = evaluate(model, val) if init != "none" else None
        opt = torch.optim.AdamW(model.parameters(), lr=d["lr"], weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=d["lr"], total_steps=args.total, pct_start=0.1)
        sampler = SliceSampler(train, 128, rng)
        model.train()
        losses, t0 = [], time.time()
        for _ in range(args.steps):
            x, y = sampler.batch(8)
            x, y = AUGMENTS["v2"](x, y, g)
            loss = dice_ce_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            losses.append(float(loss))
        after = evaluate(model, val)
        rows[init] = {"lossLast50": float(np.mean(losses[-50:])), "seconds": round(time.time() - t0, 1),
                      "valWT": mean_dice(after, "WT"), "valMeanDice": float(np.mean([mean_dice(after, k) for k in ("NCR", "ED", "ET")])),
                      "valWTbefore": mean_dice(before, "WT") if before else None}
        print(init, json.dumps(rows[init]), flush=True)
    if args.out:
        json.dump({"steps": args.steps, "total": args.total, "batch": 8, "crop": 128, "rows": rows}, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    main()
