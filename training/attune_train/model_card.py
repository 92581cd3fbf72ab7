"""Write models/<name>/README.md (the model card) from the metadata the trainer exported.

    /usr/bin/python3 -m attune_train.model_card ../models/attune-brats-inst18
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

KEYS = ("NCR", "ED", "ET", "ET_region", "TC", "WT")
CITATION = """U. Baid et al., "The RSNA-ASNR-MICCAI BraTS 2021 Benchmark on Brain Tumor Segmentation and
Radiogenomic Classification", arXiv:2107.02314; B. H. Menze et al., "The Multimodal Brain Tumor
Image Segmentation Benchmark (BRATS)", IEEE TMI 34(10) 2015; S. Bakas et al., "Advancing The Cancer
Genome Atlas glioma MRI collections with expert segmentation labels and radiomic features",
Scientific Data 4:170117 (2017). Institution partitions: FeTS 2022, S. Pati et al., arXiv:2105.05874."""


RESUMED = """ The shipped weights continued from a
500-step checkpoint of the same recipe (first run: a 3,200-step schedule, stopped when the shared
2 cores made it too slow; ~20 min for those 500 steps, not counted below), so they saw ~2,000
steps in all — what the default command runs in one go."""


def table(rows: dict) -> str:
    head = "| case | shift score (KL, it. 0) | " + " | ".join(k.replace("_region", " (region)") for k in KEYS) + " |"
    out = [head, "|" + "---|" * (len(KEYS) + 2)]
    for name, r in rows.items():
        cells = ["–" if r["dice"][k] is None else f"{r['dice'][k]:.3f}" for k in KEYS]
        out.append(f"| {name} | {r['shiftScore']:.4f} | " + " | ".join(cells) + " |")
    means = []
    for k in KEYS:
        v = [r["dice"][k] for r in rows.values() if r["dice"][k] is not None]
        means.append(f"**{np.mean(v):.3f}**" if v else "–")
    out.append("| **mean** | | " + " | ".join(means) + " |")
    return "\n".join(out)


def card(model_dir: str) -> str:
    doc = json.load(open(os.path.join(model_dir, "model.json")))
    t, a = doc["training"], doc["architecture"]
    m = t["metrics"]
    n_params = sum(int(np.prod(w["shape"])) for w in doc["weightsManifest"][0]["weights"]
                   if not w["name"].endswith(("moving_mean", "moving_variance")))
    size_mb = os.path.getsize(os.path.join(model_dir, doc["weightsManifest"][0]["paths"][0])) / 1e6
    wt_before = np.mean([r["dice"]["WT"] for r in m["beforeRecalibration"].values()])
    return f"""# attune-brats-inst18 — model card

2D U-Net with per-modality normalizer CNNs for brain tumour sub-region segmentation (NCR, ED,
ET), trained on one institution so that test-time adaptation has a real domain shift to undo.
Contract: `models/README.md` (version {doc['contractVersion']}); weights in tfjs format
(`model.json` + `weights.bin`, every BN layer kept with its running statistics).

## Architecture
Widths {a['widths']}, LeakyReLU {a['leakySlope']}, BN epsilon {a['bnEpsilon']}; {n_params:,} trainable
parameters, {size_mb:.1f} MB float32. The BN adaptation set is {len(a['adaptBn'])} layers
(`{a['adaptBn'][0]}` … `{a['adaptBn'][-1]}`); {len(a['bnLayers'])} BN layers in all.
Why this size: the compute is dominated by the full-resolution layers (the four normalizers,
`enc0`, `up1`), so widths start at 16; doubling per level to 256 keeps the deep layers cheap while
the weights stay at ~2 M parameters / 8 MB (the contract's budget is ≲ 2–4 M, ≲ 16 MB). Measured on
this 2-core machine (batch 8, 128², Adam step, another job running): widths 16…256 1.6 s, 16…128
(1.3 M) 1.8 s, 24…256 (3.3 M) 1.3 s — step time is noise-dominated, not width-dominated; unloaded,
16…256 takes ~0.7–0.85 s per step, which fits a ≤ 90 min retrain.

## Data (BraTS 2021, FeTS 2022 institution partitions)
- training: institution 18 — {', '.join(t['trainCases'])}
- in-domain validation (never trained on): institution 18 — {', '.join(t['valCases'])}
- cross-institution target (never trained on): institution 1 — {', '.join(t['targetCases'])}
- nothing else; `shared/acceptance/` was never read.

## Recipe
Preprocessing per contract §2. Random 128² crops of axial slices ({t['crop']}×{t['crop']}, batch {t['batch']}),
half centred near tumour; flips, rotations ±15°, scale 0.9–1.1, per-modality gain/offset jitter
inside the brain. Loss = cross-entropy + soft Dice (NCR, ED, ET). AdamW, one-cycle lr
max {t['lr']}, {t['steps']} steps; seed {t['seed']}.{RESUMED if t.get('init') else ''}
Then the BN running statistics were **recalibrated** (contract §4: the mean over training scans of
each scan's statistics on its {a['statsSlices']} statistics slices), the network fine-tuned
{t['finetuneSteps']} steps with BN frozen in inference mode, and recalibrated again.
Total training time: {t['seconds'] / 60:.0f} min on 2 CPU cores. Command (from `training/`):
`{t['command']}`.

## Measured, without adaptation (Python evaluation; the TS runtime reproduces it, see tests)
Dice per class and region on the original grid. "shift score" = KL alignment loss of the source
weights on that scan (iteration 0 of the adaptation): in-domain scans should score lower.

In-domain validation (institution 18):

{table(m['val'])}

Cross-institution target (institution 1):

{table(m['target'])}

Before the BN recalibration (running statistics from training batches) the in-domain mean WT Dice
was {wt_before:.3f}.

## Does the shift score separate institutions? Not across cases (measured)
Shift scores of training scans (institution 18, after recalibration): {', '.join(f"{n} {r['shiftScore']:.2f}" for n, r in m['train_shift'].items())}.
Across all 11 cases the score ranges from 0.4 to 33 and does **not** order in-domain below
cross-institution scans: the two in-domain validation scans (21.7, 31.8) score higher than the
two institution-1 scans (5.1, 17.4), and one training scan (BraTS2021_00014) scores 33.0.
The spread comes from the deepest layers: the per-scan variance of the features entering
`bottleneck_conv2_bn` ranges from 21 to 497 across the 11 scans (running value: their mean), and
KL sums log-variance ratios over 256 channels there. So on these data the score reflects each
scan's content (tumour, anatomy) as much as its scanner. Compared on the *same* scan before and
after a simulated scanner shift the score does rise, modestly: BraTS2021_00031 21.7 → 23.1 with
`low-field` severity 3 (WT Dice 0.757 → 0.636), BraTS2021_00024 31.76 → 31.83 with
`different-vendor` severity 3 (WT unchanged). See BENCHMARKS.md for what adaptation does.

## Intended use and limits
Research and demonstration of test-time adaptation. Not a medical device. Trained on 7 scans from
one institution: expect failures on unusual anatomy, post-operative cavities, and inputs that are not
skull-stripped, co-registered, 1 mm BraTS-style volumes.

## Citation
Derived from BraTS 2021 data; cite:
{CITATION}
"""


if __name__ == "__main__":
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../models/attune-brats-inst18")
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write(card(d))
    print("wrote", os.path.join(d, "README.md"))
