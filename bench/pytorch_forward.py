"""P2 reference: per-slice forward of the shipped weights in PyTorch CPU on a case's statistics slices.

    /usr/bin/python3 bench/pytorch_forward.py <case folder> [--threads N] [--device cpu|cuda]
Prints JSON: {"forwardMsPerSlice": …, "threads": …, "shape": […], "device": …}.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../training"))
import torch  # noqa: E402

from attune_train.data import load_case  # noqa: E402
from attune_train.export import load_exported  # noqa: E402
from attune_train.infer import stats_slices  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("case")
ap.add_argument("--threads", type=int, default=torch.get_num_threads())
ap.add_argument("--device", default="cpu")
ap.add_argument("--model", default=os.path.join(os.path.dirname(__file__), "../models/attune-brats-inst18"))
a = ap.parse_args()
torch.set_num_threads(a.threads)
dev = torch.device(a.device)
model = load_exported(a.model).to(dev)
x = stats_slices(load_case(a.case)).to(dev)
sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
times = []
with torch.no_grad():
    for rep in range(3 if dev.type == "cuda" else 1):  # cuda: the first pass loads kernels
        for s in range(x.shape[0]):
            sync()
            t = time.perf_counter()
            model(x[s:s + 1])
            sync()
            times.append((time.perf_counter() - t) * 1000)
skip = x.shape[0] if dev.type == "cuda" else 1
kept = times[skip:]
name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
print(json.dumps({"forwardMsPerSlice": sum(kept) / len(kept), "threads": a.threads, "shape": list(x.shape), "device": name}))
