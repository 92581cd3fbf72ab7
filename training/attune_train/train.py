"""Train the contract's network on institution-18 BraTS cases; recalibrate BN; evaluate; export.

    /usr/bin/python3 -m attune_train.train                      # recipe v1: the shipped model
    /usr/bin/python3 -m attune_train.train --recipe v2 --out ../models/attune-brats-inst18-v2 \
        [--device cuda] [--max-minutes 50]                      # issue 12's recipe
    /usr/bin/python3 -m attune_train.train --recipe v2 --out ... --resume ../models/.../checkpoint

(run from training/). A run saves a checkpoint folder (model, optimiser, scheduler, RNG states,
step, phase) every --ckpt-every steps and when --max-minutes runs out; `--resume <folder>`
with the same flags continues it and ends where the uninterrupted run would
(tests/test_resume.py). See training/README.md for the recipes and their measured cost.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch

from .checkpoint import TrainState, apply_checkpoint, read_checkpoint, save_checkpoint
from .data import SliceSampler, case_from_arrays, load_case, read_case_arrays
from .export import export_model, load_exported
from .infer import kl_alignment_loss, predict_case, recalibrate_bn, stats_slices
from .loop import dice_ce_loss, set_bn_eval, train_steps  # noqa: F401 (dice_ce_loss: tests import it here)
from .metrics import all_dice
from .model import AttuneNet
from .package import SUFFIX, load_packed
from .recipes import AUGMENTS, recipe_defaults
from .tumour_free import mirror_tumour_free

HERE = os.path.dirname(__file__)


def load_named(data: str, name: str):
    """A case from `data`: `<name>.u8.npz.xz` (package.py) when present, else the NIfTI folder."""
    packed = os.path.join(data, name + SUFFIX)
    return load_packed(packed) if os.path.exists(packed) else load_case(os.path.join(data, name))


def load_present(data: str, names: list[str], log) -> list:
    """The cases of `names` found in `data` (the device machine carries only the training cases)."""
    present = [n for n in names if os.path.exists(os.path.join(data, n + SUFFIX)) or os.path.isdir(os.path.join(data, n))]
    if len(present) < len(names):
        log(f"not in {data}, not evaluated here: {', '.join(sorted(set(names) - set(present)))}")
    return [load_named(data, n) for n in present]


def tumour_free_cases(data: str, names: list[str], log) -> list:
    """Tumour-free mirrored copies of those of `names` whose tumour stays in one hemisphere (NIfTI folders only)."""
    out = []
    for n in names:
        folder = os.path.join(data, n)
        if not os.path.isdir(folder):
            continue
        vols, labels = read_case_arrays(folder)
        mirrored = mirror_tumour_free(vols, labels)
        if mirrored is not None:
            out.append(case_from_arrays(n + "-tumour-free", *mirrored))
    log(f"tumour-free copies: {', '.join(c.name for c in out) or 'none'}")
    return out


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


def parse_args(argv=None) -> argparse.Namespace:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--recipe", default="v1")
    recipe = pre.parse_known_args(argv)[0].recipe
    d = recipe_defaults(recipe)
    ap = argparse.ArgumentParser(parents=[pre])
    ap.add_argument("--data", default=os.path.join(HERE, "../../../shared/data/brats2021"),
                    help="BraTS case folders, or a folder of packed cases (package.py)")
    ap.add_argument("--eval-data", default=None, help="where val/target cases are read (default: --data)")
    ap.add_argument("--out", default=os.path.join(HERE, "../../models/attune-brats-inst18"))
    ap.add_argument("--train-cases", nargs="*", default=d["train_cases"])
    ap.add_argument("--val-cases", nargs="*", default=d["val_cases"])
    ap.add_argument("--target-cases", nargs="*", default=d["target_cases"])
    ap.add_argument("--steps", type=int, default=d["steps"])
    ap.add_argument("--finetune-steps", type=int, default=d["finetune_steps"])
    ap.add_argument("--batch", type=int, default=d["batch"])
    ap.add_argument("--crop", type=int, default=d["crop"])
    ap.add_argument("--lr", type=float, default=d["lr"])
    ap.add_argument("--augment", choices=sorted(AUGMENTS), default=d["augment"])
    ap.add_argument("--tumour-free-fraction", type=float, default=d["tumour_free_fraction"],
                    help="share of crops drawn from tumour-free mirrored copies of the training scans (tumour_free.py)")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (same command, same schedule)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch CPU threads; 1 is robust when the 2 cores are shared (2 threads slow down badly under load)")
    ap.add_argument("--widths", default="16,32,64,128,256")
    ap.add_argument("--init", default=d["init"], help="start from these weights: an exported model folder (warm start) or a state_dict file")
    ap.add_argument("--ckpt-dir", default=None, help="checkpoint folder (default <out>/checkpoint)")
    ap.add_argument("--ckpt-every", type=int, default=250)
    ap.add_argument("--resume", default=None, help="checkpoint folder to continue from (same flags)")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="stop with a checkpoint after this long; continue with --resume")
    ap.add_argument("--no-export", action="store_true", help="skip evaluation and export (e.g. train-only device runs)")
    ap.add_argument("--train-only", action="store_true", help="stop after the training phase (timing probes)")
    return ap.parse_args(argv)


def new_state(args, model, rng, g, phase: str) -> TrainState:
    if phase == "train":
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    else:  # finetune with BN frozen (contract §4): lower constant lr, no schedule
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr / 10, weight_decay=1e-4)
        sched = None
    return TrainState(model, opt, sched, rng, g, step=0, phase=phase)


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    g = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    ckpt_dir = args.ckpt_dir or os.path.join(args.out, "checkpoint")
    log_f = open(os.path.join(args.out, "train.log"), "a" if args.resume else "w")
    deadline = time.time() + 60 * args.max_minutes if args.max_minutes else None

    def log(msg):
        print(msg, flush=True)
        log_f.write(msg + "\n")
        log_f.flush()

    t0 = time.time()
    eval_data = args.eval_data or args.data
    train = [load_named(args.data, n) for n in args.train_cases]
    log(f"loaded {len(train)} train cases in {time.time() - t0:.0f}s (recipe {args.recipe}, device {args.device})")

    model = AttuneNet(tuple(int(w) for w in args.widths.split(","))).to(args.device)
    if args.init:
        # an exported model folder (models/<name>: warm start from a shipped model) or a state_dict file
        init = load_exported(args.init).state_dict() if os.path.isdir(args.init) else torch.load(args.init, map_location="cpu")
        model.load_state_dict(init)
        log(f"initialised from {args.init}")
    healthy = tumour_free_cases(args.data, args.train_cases, log) if args.tumour_free_fraction > 0 else []
    sampler = SliceSampler(train, args.crop, rng, healthy=healthy, healthy_fraction=args.tumour_free_fraction)
    augment = AUGMENTS[args.augment]
    ck = read_checkpoint(args.resume) if args.resume else None
    state = new_state(args, model, rng, g, ck["phase"] if ck else "train")
    if ck:
        apply_checkpoint(ck, state)
        log(f"resumed {args.resume}: phase {state.phase}, step {state.step}")
    state.meta.setdefault("seconds", 0.0)
    sitting = time.time()

    def run(total, **kw):
        done = train_steps(state, sampler, total, args.batch, augment, args.device, log,
                           ckpt_dir=ckpt_dir, ckpt_every=args.ckpt_every, deadline=deadline, label=state.phase, **kw)
        if not done:
            state.meta["seconds"] += time.time() - sitting
            save_checkpoint(ckpt_dir, state)
        return done

    if state.phase == "train":
        if not run(args.steps):
            return
        torch.save(model.state_dict(), os.path.join(args.out, "checkpoint-trained.pt"))
        if args.train_only:
            log(f"trained {state.step} steps in {time.time() - sitting:.1f}s (--train-only)")
            return
        val = load_present(eval_data, args.val_cases, log)
        state.meta["beforeRecalibration"] = evaluate(model, val)
        log(f"val WT (training-batch BN stats): {mean_dice(state.meta['beforeRecalibration'], 'WT'):.4f}")
        # Contract §4: running statistics describe one scan's statistics slices, averaged over scans.
        recalibrate_bn(model, train)
        log(f"val WT after recalibration: {mean_dice(evaluate(model, val), 'WT'):.4f}")
        meta = state.meta
        state = new_state(args, model, rng, g, "finetune")
        state.meta = meta
        save_checkpoint(ckpt_dir, state)
    if state.phase == "finetune":
        if args.finetune_steps > 0 and not run(args.finetune_steps, bn_frozen=True):
            return
        recalibrate_bn(model, train)
        state.phase = "done"
        state.meta["seconds"] += time.time() - sitting
        sitting = time.time()
        save_checkpoint(ckpt_dir, state)
    model.eval()
    model.cpu()
    torch.save(model.state_dict(), os.path.join(args.out, "checkpoint-final.pt"))
    if args.no_export:
        log(f"trained; {state.meta['seconds']:.0f}s of training in all; not exported (--no-export)")
        return
    val = [load_named(eval_data, n) for n in args.val_cases]
    target = [load_named(eval_data, n) for n in args.target_cases]
    results = {"val": evaluate(model, val), "target": evaluate(model, target), "train_shift": evaluate(model, train[:3])}
    for split in ("val", "target"):
        log(f"{split}: " + ", ".join(f"{k} {mean_dice(results[split], k):.4f}" for k in ("NCR", "ED", "ET", "TC", "WT")))
        for n, r in results[split].items():
            log(f"  {n}: shift {r['shiftScore']:.4f} " + json.dumps(r["dice"]))
    command = "cd training && /usr/bin/python3 -m attune_train.train" + ("" if args.recipe == "v1" else f" --recipe {args.recipe}")
    meta = {
        "recipe": args.recipe, "trainCases": args.train_cases, "valCases": args.val_cases, "targetCases": args.target_cases,
        "steps": args.steps, "finetuneSteps": args.finetune_steps, "batch": args.batch, "crop": args.crop,
        "augment": args.augment, "tumourFreeFraction": args.tumour_free_fraction, "lr": args.lr, "seed": args.seed, "init": args.init, "device": args.device,
        "seconds": round(state.meta["seconds"] + time.time() - sitting),
        "metrics": {"beforeRecalibration": state.meta["beforeRecalibration"], **results},
        "command": command,
    }
    export_model(model, args.out, meta)
    log(f"exported to {args.out} in {time.time() - t0:.0f}s this sitting")


if __name__ == "__main__":
    main()
