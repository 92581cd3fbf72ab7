"""Attune training: PyTorch twin of the model contract in models/README.md."""
MODALITIES = ("t1", "t1ce", "t2", "flair")
LABELS = (0, 1, 2, 4)
