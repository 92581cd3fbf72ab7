"""Train the contract's network on institution-18 BraTS cases; recalibrate BN; evaluate; export.

    /usr/bin/python3 -m attune_train.train --data ../../shared/data/brats2021 --out ../models/attune-brats-inst18
(run from training/). See training/README.md for the recipe and its measured cost.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .data import SliceSampler, augment, load_case
from .export import export_model
from .infer import kl_alignment_loss, predict_case, recalibrate_bn, stats_slices
from .metrics import all_dice
from .model import AttuneNet

SOURCE_TRAIN = ["BraTS2021_00000", "BraTS2021_00002", "BraTS2021_00003", "BraTS2021_00005",
                "BraTS2021_00006", "BraTS2021_00014", "BraTS2021_00019"]
SOURCE_VAL = ["BraTS2021_00024", "BraTS2021_00031"]
TARGET = ["BraTS2021_00324", "BraTS2021_00389"]


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


def evaluate(model, cases) -> dict:
    rows = {}
    for c in cases:
        pred = predict_case(model, c)
        with torch.no_grad():
            model.eval()
            shift = float(kl_alignment_loss(model, stats_slices(c)))
        rows[c.name] = {"dice": all_dice(pred, c.labels), "shiftScore": shift}
    return rows


def mean_dice(rows: dict, key: str) -> float:
    v = [r["dice"][key] for r in rows.values() if r["dice"][key] is not None]
    return float(np.mean(v)) if v else float("nan")


def run_phase(model, opt, sched, sampler, steps, batch, g, log, label, bn_frozen=False, t0=None, ckpt=None):
    model.train()
    if bn_frozen:
        set_bn_eval(model)
    for step in range(steps):
        x, y = sampler.batch(batch)
        x, y = augment(x, y, g)
        loss = dice_ce_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched:
            sched.step()
        if step % 50 == 0 or step == steps - 1:
            log(f"[{label}] step {step}/{steps} loss {loss.item():.4f} t={time.time() - t0:.0f}s")
        if ckpt and step % 500 == 499:
            torch.save(model.state_dict(), ckpt)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/brats2021"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../models/attune-brats-inst18"))
    ap.add_argument("--train-cases", nargs="*", default=SOURCE_TRAIN)
    ap.add_argument("--val-cases", nargs="*", default=SOURCE_VAL)
    ap.add_argument("--target-cases", nargs="*", default=TARGET)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--finetune-steps", type=int, default=200)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 is robust when the 2 cores are shared (2 threads slow down badly under load)")
    ap.add_argument("--widths", default="16,32,64,128,256")
    ap.add_argument("--init", default=None, help="start from this state_dict (e.g. a partial checkpoint)")
    args = ap.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log_f = open(os.path.join(args.out, "train.log"), "w")

    def log(msg):
        print(msg, flush=True)
        log_f.write(msg + "\n")
        log_f.flush()

    t0 = time.time()
    load = lambda names: [load_case(os.path.join(args.data, n)) for n in names]
    train, val, target = load(args.train_cases), load(args.val_cases), load(args.target_cases)
    log(f"loaded {len(train)} train, {len(val)} val, {len(target)} target cases in {time.time() - t0:.0f}s")

    model = AttuneNet(tuple(int(w) for w in args.widths.split(",")))
    if args.init:
        model.load_state_dict(torch.load(args.init))
        log(f"initialised from {args.init}")
    sampler = SliceSampler(train, args.crop, rng)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    run_phase(model, opt, sched, sampler, args.steps, args.batch, g, log, "train", t0=t0,
              ckpt=os.path.join(args.out, "checkpoint-partial.pt"))
    torch.save(model.state_dict(), os.path.join(args.out, "checkpoint-trained.pt"))
    before = evaluate(model, val)
    log(f"val WT (training-batch BN stats): {mean_dice(before, 'WT'):.4f}")

    # Contract §4: running statistics describe one scan's statistics slices, averaged over scans.
    recalibrate_bn(model, train)
    recal = evaluate(model, val)
    log(f"val WT after recalibration: {mean_dice(recal, 'WT'):.4f}")
    if args.finetune_steps > 0:
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr / 10, weight_decay=1e-4)
        run_phase(model, opt, None, sampler, args.finetune_steps, args.batch, g, log, "finetune", bn_frozen=True, t0=t0)
        recalibrate_bn(model, train)
    model.eval()
    torch.save(model.state_dict(), os.path.join(args.out, "checkpoint-final.pt"))
    results = {"val": evaluate(model, val), "target": evaluate(model, target), "train_shift": evaluate(model, train[:3])}
    for split in ("val", "target"):
        log(f"{split}: " + ", ".join(f"{k} {mean_dice(results[split], k):.4f}" for k in ("NCR", "ED", "ET", "TC", "WT")))
        for n, r in results[split].items():
            log(f"  {n}: shift {r['shiftScore']:.4f} " + json.dumps(r["dice"]))
    meta = {
        "trainCases": args.train_cases, "valCases": args.val_cases, "targetCases": args.target_cases,
        "steps": args.steps, "finetuneSteps": args.finetune_steps, "batch": args.batch, "crop": args.crop,
        "lr": args.lr, "seed": args.seed, "init": args.init, "seconds": round(time.time() - t0),
        "metrics": {"beforeRecalibration": before, **results},
        "command": "cd training && /usr/bin/python3 -m attune_train.train",
    }
    export_model(model, args.out, meta)
    log(f"exported to {args.out} in {time.time() - t0:.0f}s total")


if __name__ == "__main__":
    main()
