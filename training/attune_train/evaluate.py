"""Evaluate an exported model on held-out scans, with and without post-processing.

    OMP_NUM_THREADS=1 /usr/bin/python3 -m attune_train.evaluate --model ../models/attune-brats-inst18 \
        --out runs/eval-v1.json                                        (from training/)

Per scan: the shift score (KL alignment loss, iteration 0), Dice per class/region and HD95 of the
raw argmax and of each post-processing setting in the grid. Raw predictions are cached beside
the JSON (`<out>.pred.npz`), so a new grid re-uses them.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch

from .export import load_exported
from .infer import kl_alignment_loss, predict_case, stats_slices
from .metrics import REGIONS, all_dice, hd95
from .postprocess import DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS, postprocess
from .splits import HELD_OUT
from .train import load_named

HD_KEYS = ("ET", "TC", "WT")
KEYS = ("NCR", "ED", "ET", "TC", "WT")


def setting_name(mc: int, me: int) -> str:
    return "off" if mc <= 1 and me <= 0 else f"cc{mc}-et{me}"


def score(pred, ref, memo: dict) -> dict:
    """Dice and HD95; HD95 (seconds on a whole-brain box) is memoised per region and output, since
    many settings leave a scan's mask, or one region of it, unchanged."""
    def h(k):
        key = (k, hash(np.isin(pred, REGIONS[k]).tobytes()))
        if key not in memo:
            memo[key] = hd95(pred, ref, REGIONS[k])
        return memo[key]
    return {"dice": all_dice(pred, ref), "hd95": {k: h(k) for k in HD_KEYS}}


def summarise(rows: dict, setting: str) -> dict:
    out = {}
    for k in KEYS:
        v = [r[setting]["dice"][k] for r in rows.values() if r[setting]["dice"][k] is not None]
        out[f"dice_{k}"] = float(np.mean(v))
    for k in HD_KEYS:
        v = [r[setting]["hd95"][k] for r in rows.values() if r[setting]["hd95"][k] is not None]
        out[f"hd95_{k}"] = float(np.mean(v))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(os.path.dirname(__file__), "../../models/attune-brats-inst18"))
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/brats2021"))
    ap.add_argument("--cases", nargs="*", default=HELD_OUT)
    ap.add_argument("--component-voxels", default="0,100,500,2000")
    ap.add_argument("--et-voxels", default="0,200,500")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    model = load_exported(args.model).eval()
    cache_path = args.out + ".pred.npz"
    cache = dict(np.load(cache_path)) if os.path.exists(cache_path) else {}
    grid = [(int(a), int(b)) for a in args.component_voxels.split(",") for b in args.et_voxels.split(",")]
    for must in ((0, 0), (DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS)):  # raw and the runtime default
        if must not in grid:
            grid.append(must)
    rows, shift = {}, {}
    for name in args.cases:
        t0 = time.time()
        case = load_named(args.data, name)
        if name not in cache:
            cache[name] = predict_case(model, case)
            np.savez_compressed(cache_path, **cache)
        with torch.no_grad():
            shift[name] = float(kl_alignment_loss(model, stats_slices(case)))
        pred = cache[name]
        memo: dict = {}
        rows[name] = {setting_name(mc, me): score(postprocess(pred, mc, me), case.labels, memo) for mc, me in grid}
        print(f"{name}: shift {shift[name]:.3f}; off WT {rows[name]['off']['dice']['WT']:.3f} "
              f"HD95 WT {rows[name]['off']['hd95']['WT']:.1f} ({time.time() - t0:.0f}s)", flush=True)
    settings = list(next(iter(rows.values())))
    summary = {s: summarise(rows, s) for s in settings}
    doc = {"model": os.path.basename(os.path.normpath(args.model)), "cases": args.cases, "shiftScore": shift,
           "perCase": rows, "mean": summary}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
    print("setting | " + " | ".join(summary["off"]))
    for s, m in summary.items():
        print(f"{s} | " + " | ".join(f"{v:.3f}" for v in m.values()))


if __name__ == "__main__":
    main()
