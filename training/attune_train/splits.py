"""Which BraTS 2021 cases each recipe trains on, validates on and reports as targets.

Institution 18 (FeTS 2022 partition 18) is the source institution. 00024 and 00031 stay
in-domain validation in every recipe, so v1 and v2 are compared on the same held-out scans.
"""
from __future__ import annotations

INST18_VAL = ["BraTS2021_00024", "BraTS2021_00031"]

# v1 (the shipped model attune-brats-inst18): the 7 institution-18 cases the project first had.
V1_TRAIN = ["BraTS2021_00000", "BraTS2021_00002", "BraTS2021_00003", "BraTS2021_00005",
            "BraTS2021_00006", "BraTS2021_00014", "BraTS2021_00019"]
V1_TARGET = ["BraTS2021_00324", "BraTS2021_00389"]

# v2: every institution-18 case at hand but the two validation scans. 00012 comes from the
# BraTS 2023 release (ET is 224 voxels); 00630 / 00739 from a later BraTS release.
V2_TRAIN = V1_TRAIN[:5] + ["BraTS2021_00012"] + V1_TRAIN[5:] + ["BraTS2021_00630", "BraTS2021_00739"]
# Cross-institution targets: institution 1 (00324, 00389), 3 (01426, thick-slice T1/FLAIR),
# 15 (01531, almost all tumour labelled NCR).
V2_TARGET = ["BraTS2021_00324", "BraTS2021_00389", "BraTS2021_01426", "BraTS2021_01531"]

# The six held-out real scans the issue-12 targets are measured on.
HELD_OUT = INST18_VAL + V2_TARGET

SPLITS = {
    "v1": {"train": V1_TRAIN, "val": INST18_VAL, "target": V1_TARGET},
    "v2": {"train": V2_TRAIN, "val": INST18_VAL, "target": V2_TARGET},
}

# Real labelled scans added to ../shared/data after the v2 split was set: reported beside the six,
# never trained on. 00060 is institution 18 (the one in-domain scan no model has seen); 01427 and
# 01429 institution 3 (2013-era scanners); UPENN-GBM-00003_11 institution 1.
ADDED_REAL = ["BraTS2021_00060", "BraTS2021_01427", "BraTS2021_01429", "UPENN-GBM-00003_11"]

# In-domain scans no model trains on, whose tumour-free mirrored copies (tumour_free.py) measure
# how much tumour a model invents on a head without one.
TUMOUR_FREE_SOURCES = INST18_VAL + ["BraTS2021_00060"]
