"""Evaluate an exported model on held-out scans, with and without post-processing.

    OMP_NUM_THREADS=1 /usr/bin/python3 -m attune_train.evaluate --model ../models/attune-brats-inst18 \
        --out runs/eval-v1.json                                        (from training/)

Per scan: the shift score (KL alignment loss, iteration 0), Dice per class/region and HD95 of the
raw argmax and of each post-processing setting in the grid. Raw predictions are cached beside
the JSON (`<out>.pred.npz`), so a new grid re-uses them.

Two groups of labelled scans: the six held-out scans the targets are measured on (`--cases`) and
the real scans added since (`--added-cases`), each with its own means. Then the tumour-free
copies (`tumour_free.py`) of the in-domain validation scans: the tumour volume the model invents
on a head that has none, per post-processing setting. Finally the component size the rule picks:
the largest in the grid that lowers no held-out scan's WT Dice below the raw argmax's.
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
from .data import case_from_arrays, read_case_arrays
from .splits import ADDED_REAL, HELD_OUT, TUMOUR_FREE_SOURCES
from .train import load_named
from .tumour_free import mirror_plane, mirror_tumour_free

DATA_ROOT = os.path.join(os.path.dirname(__file__), "../../../shared/data")

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


def find_case(folders: list[str], name: str) -> str:
    for d in folders:
        if os.path.isdir(os.path.join(d, name)) or os.path.exists(os.path.join(d, name + ".u8.npz.xz")):
            return d
    raise SystemExit(f"case {name} is in none of: {', '.join(folders)}")


def choose_component_voxels(rows: dict, sizes: list[int]) -> int:
    """The largest size whose post-processing leaves every scan's WT Dice at least the raw argmax's."""
    ok = [n for n in sizes if all(r[setting_name(n, 0)]["dice"]["WT"] >= r["off"]["dice"]["WT"] for r in rows.values())]
    return max(ok) if ok else 0


def predicted_ml(pred: np.ndarray) -> dict:
    """Predicted volume per class and in all, mL (1 mm³ voxels)."""
    out = {k: float((pred == v).sum()) / 1000 for k, v in (("NCR", 1), ("ED", 2), ("ET", 4))}
    out["total"] = float((pred > 0).sum()) / 1000
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(os.path.dirname(__file__), "../../models/attune-brats-inst18"))
    ap.add_argument("--data", nargs="+", default=[os.path.join(DATA_ROOT, "brats2021"), os.path.join(DATA_ROOT, "upenn-gbm")],
                    help="folders holding the cases (each case is looked up in them in order)")
    ap.add_argument("--cases", nargs="*", default=HELD_OUT)
    ap.add_argument("--added-cases", nargs="*", default=ADDED_REAL)
    ap.add_argument("--tumour-free-cases", nargs="*", default=TUMOUR_FREE_SOURCES)
    ap.add_argument("--component-voxels", default="0,100,500,1000,2000")
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
    for name in args.cases + args.added_cases:
        t0 = time.time()
        case = load_named(find_case(args.data, name), name)
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
    tumour_free = {}
    for name in args.tumour_free_cases:
        vols, labels = read_case_arrays(os.path.join(find_case(args.data, name), name))
        mirrored = mirror_tumour_free(vols, labels)
        if mirrored is None:
            tumour_free[name] = {"eligible": False}
            continue
        key = name + "-tumour-free"
        if key not in cache:
            cache[key] = predict_case(model, case_from_arrays(key, *mirrored))
            np.savez_compressed(cache_path, **cache)
        tumour_free[name] = {"eligible": True, "planeShiftVoxels": mirror_plane(vols, labels)[1] / 2, "ml": {setting_name(mc, me): predicted_ml(postprocess(cache[key], mc, me)) for mc, me in grid}}
        print(f"{key}: {tumour_free[name]['ml']['off']['total']:.1f} mL raw, "
              f"{tumour_free[name]['ml'][setting_name(DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS)]['total']:.1f} mL post-processed", flush=True)
    held = {n: rows[n] for n in args.cases}
    added = {n: rows[n] for n in args.added_cases}
    settings = list(next(iter(rows.values())))
    summary = {s: summarise(held, s) for s in settings}
    sizes = sorted({mc for mc, _ in grid})
    doc = {"model": os.path.basename(os.path.normpath(args.model)), "cases": args.cases, "addedCases": args.added_cases,
           "shiftScore": shift, "perCase": rows, "mean": summary,
           "meanAdded": {s: summarise(added, s) for s in settings} if added else {},
           "tumourFree": tumour_free, "chosenComponentVoxels": choose_component_voxels(held, sizes)}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"component size that lowers no held-out scan's WT: {doc['chosenComponentVoxels']}")
    print("setting | " + " | ".join(summary["off"]))
    for s, m in summary.items():
        print(f"{s} | " + " | ".join(f"{v:.3f}" for v in m.values()))


if __name__ == "__main__":
    main()
