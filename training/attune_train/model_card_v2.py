"""Model card of a v2 model (issue 12) from its model.json and evaluate.py's held-out numbers.

    /usr/bin/python3 -m attune_train.model_card_v2 ../models/attune-brats-inst18-v2 \
        --eval runs/eval-v2.json --baseline runs/eval-v1.json          (from training/)

Every held-out scan gets Dice per class and region and HD95 with the post-processing the
runtime applies by default (and WT without it), its shift score, and v1's WT for comparison;
the issue's targets are checked on the means. The narrative sections (what changed, cost) are
written from the training metadata; edit the generated README only to add what was measured
beyond it.
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from .model_card import CITATION
from .postprocess import DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS
from .evaluate import setting_name

DICE = ("NCR", "ED", "ET", "ET_region", "TC", "WT")
HD = ("ET", "TC", "WT")
TARGETS = {"WT": 0.87, "TC": 0.80, "ET": 0.75}
TARGET_HD95_WT = 15.0
TARGET_TUMOUR_FREE_ML = 1.0


def fmt(v, d=3):
    return "–" if v is None else f"{v:.{d}f}"


def _cells(r: dict) -> list:
    return [r["dice"][k] for k in DICE] + [r["hd95"][k] for k in HD]


def comparison_table(models: dict[str, dict], cases: list[str], setting: str) -> tuple[str, dict[str, dict]]:
    """One row per scan and model (v1, v2 …), Dice per class and region and HD95 per region at
    one post-processing setting; a mean row per model (over the scans that have the region)."""
    head = ["case", "model"] + [k.replace("_region", " (region)") for k in DICE] + [f"HD95 {k}" for k in HD]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    cols = {m: [[] for _ in head[2:]] for m in models}
    for name in cases:
        for m, ev in models.items():
            vals = _cells(ev["perCase"][name][setting])
            for c, v in zip(cols[m], vals):
                if v is not None:
                    c.append(v)
            rows.append(f"| {name} | {m} | " + " | ".join(fmt(v, 1 if i >= len(DICE) else 3) for i, v in enumerate(vals)) + " |")
    means = {}
    for m in models:
        mv = [float(np.mean(c)) if c else None for c in cols[m]]
        means[m] = dict(zip(head[2:], mv))
        rows.append(f"| **mean** | **{m}** | " + " | ".join(f"**{fmt(v, 1 if i >= len(DICE) else 3)}**" for i, v in enumerate(mv)) + " |")
    return "\n".join(rows), means


def tumour_free_table(models: dict[str, dict], setting: str) -> str:
    first = next(iter(models.values()))
    names = list(first.get("tumourFree", {}))
    if not names:
        return "(no tumour-free copies evaluated)"
    head = ["tumour-free copy of", "plane moved (voxels)"] + [f"{m} {lab}" for m in models for lab in ("raw", "post-processed (NCR / ED / ET)")]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for n in names:
        if not first["tumourFree"][n]["eligible"]:
            rows.append(f"| {n} | tumour crosses the midline: no copy | " + " | ".join("–" for _ in head[2:]) + " |")
            continue
        cells = [n, fmt(first["tumourFree"][n].get("planeShiftVoxels"), 1)]
        for ev in models.values():
            ml = ev["tumourFree"][n]["ml"]
            pp = ml[setting]
            cells += [f"{ml['off']['total']:.1f} mL", f"**{pp['total']:.1f} mL** ({pp['NCR']:.1f} / {pp['ED']:.1f} / {pp['ET']:.1f})"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def target_checks(ev: dict, base: dict | None, setting: str, means: dict) -> list[str]:
    checks = [f"{k} {means[k]:.3f} (target ≥ {v})" + (" ✓" if means[k] >= v else " ✗") for k, v in TARGETS.items()]
    checks.append(f"HD95 WT {means['HD95 WT']:.1f} mm (target ≤ {TARGET_HD95_WT})" + (" ✓" if means["HD95 WT"] <= TARGET_HD95_WT else " ✗"))
    if base:  # like with like: both models at the same post-processing setting
        wt = lambda e, n: e["perCase"][n][setting if setting in e["perCase"][n] else "off"]["dice"]["WT"]
        worst = min(ev["cases"], key=lambda n: wt(ev, n) - wt(base, n))
        d = wt(ev, worst) - wt(base, worst)
        checks.append(f"largest WT loss against v1: {worst} {d:+.3f} (target ≥ −0.02)" + (" ✓" if d >= -0.02 else " ✗"))
    for n, t in ev.get("tumourFree", {}).items():
        if t["eligible"]:
            v = t["ml"][setting]["total"]
            checks.append(f"tumour-free {n}: {v:.1f} mL predicted (target ≤ {TARGET_TUMOUR_FREE_ML:g} mL)" + (" ✓" if v <= TARGET_TUMOUR_FREE_ML else " ✗"))
    return checks


def card(model_dir: str, ev: dict, base: dict | None) -> str:
    doc = json.load(open(os.path.join(model_dir, "model.json")))
    t, a = doc["training"], doc["architecture"]
    n_params = sum(int(np.prod(w["shape"])) for w in doc["weightsManifest"][0]["weights"]
                   if not w["name"].endswith(("moving_mean", "moving_variance")))
    setting = setting_name(DEFAULT_MIN_COMPONENT_VOXELS, DEFAULT_MIN_ET_VOXELS)
    models = {"v1": base, "v2": ev} if base else {"v2": ev}
    tables = {s: comparison_table(models, ev["cases"], s) for s in ("off", setting)}
    added = ev.get("addedCases") or []
    added_tables = {s: comparison_table(models, added, s)[0] for s in ("off", setting)} if added else {}
    checks = target_checks(ev, base, setting, tables[setting][1]["v2"])
    init = f", warm-started from `{os.path.relpath(t['init'], os.path.dirname(os.path.abspath(model_dir)))}`" if t.get("init") else ""
    tf = t.get("tumourFreeFraction")
    added_text = "" if not added else f"""
## Real scans added since (never trained on; not in the targets)
{', '.join(added)}. Post-processing off:

{added_tables['off']}

Post-processing on ({setting}):

{added_tables[setting]}
"""
    return f"""# {os.path.basename(os.path.normpath(model_dir))} — model card (v2)

Same architecture and contract as v1 (`models/README.md`, version {doc['contractVersion']}): widths
{a['widths']}, {n_params:,} trainable parameters, every BN layer kept with recalibrated statistics.
The tables below are written by `training/attune_train/model_card_v2.py` from `evaluate.py`'s
records (`training/runs/eval-v2.json`, `training/runs/eval-v1.json`), not typed.

## Data (BraTS 2021, FeTS 2022 institution partitions)
- training: institution 18 — {', '.join(t['trainCases'])}
- in-domain validation: institution 18 — {', '.join(t['valCases'])}
- cross-institution targets: {', '.join(t['targetCases'])}
- nothing else; `shared/acceptance/` was never read.

## Recipe and cost
`{t['command']}` (recipe {t.get('recipe')}{init}): {t['steps']} steps of batch {t['batch']}, {t['crop']}² crops,
augmentation {t.get('augment')}{f", {tf:.0%} of crops from tumour-free mirrored copies of the training scans" if tf else ""},
AdamW one-cycle lr max {t['lr']}, seed {t['seed']}; BN recalibration, {t['finetuneSteps']} BN-frozen steps,
recalibration. Device: {t.get('device')}; {t['seconds'] / 60:.1f} min of training in all (wall time of the sittings).

## The six held-out scans, no adaptation
Dice per class and region, HD95 (mm) per region, on the original grid; v1 = the previous default
(`attune-brats-inst18`). Post-processing off (raw argmax):

{tables['off'][0]}

Post-processing as the runtime applies it by default ({setting}: whole-tumour components under
{DEFAULT_MIN_COMPONENT_VOXELS} voxels removed, ET under {DEFAULT_MIN_ET_VOXELS} voxels → NCR):

{tables[setting][0]}

Targets (means over the six scans, post-processed): {'; '.join(checks)}.
{added_text}
## Tumour-free heads
Copies of in-domain scans no model trained on, the healthy hemisphere mirrored over the one with
tumour (`tumour_free.py`; where the tumour reaches across the symmetry plane, the plane is moved
past it, at most 8 voxels — the copy's midline is then off by that much). Tumour predicted on them:

{tumour_free_table(models, setting)}

## Citation
Derived from BraTS 2021 data; cite:
{CITATION}
"""


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--eval", required=True, help="evaluate.py JSON of this model")
    ap.add_argument("--baseline", default=None, help="evaluate.py JSON of v1, for the comparison columns")
    args = ap.parse_args(argv)
    ev = json.load(open(args.eval))
    base = json.load(open(args.baseline)) if args.baseline else None
    path = os.path.join(args.model_dir, "README.md")
    with open(path, "w") as f:
        f.write(card(args.model_dir, ev, base))
    print("wrote", path)


if __name__ == "__main__":
    main()
