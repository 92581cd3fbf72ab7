#!/usr/bin/env bash
# Recipe v2 on the GPU device machine, in one call of the `run` tool (training/device/README.md).
#   bash training/device/train_v2.sh [TRAIN_SECONDS] [MAX_STEPS]
# 1. a 150-step probe measures steps/s on this GPU (its weights are thrown away);
# 2. the real run gets --steps = what fits in TRAIN_SECONDS (default 360), at most MAX_STEPS
#    (default 30000), at least the recipe's 8000 if that fits; the exact command is logged, so a
#    CPU or a later GPU run reproduces it;
# 3. BN recalibration + BN-frozen fine-tuning run on the GPU too; evaluation and export are left
#    to the real NIfTI files on the developer's machine (`--resume` of the returned checkpoint).
# Writes under $OUT: train.log, v2/checkpoint/{state.pt,optim.pt}, v2/checkpoint-final.pt.
set -euo pipefail
TRAIN_SECONDS=${1:-360}
MAX_STEPS=${2:-30000}
OUT=${OUT:?run me through the device tool, which sets OUT}
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
ls .devdata/*.u8.npz.xz >/dev/null || { echo "training/.devdata is missing: carry it (see training/device/README.md)"; exit 2; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python3 -c "import torch, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'numpy', numpy.__version__)"

COMMON=(--recipe v2 --device cuda --threads 4 --data .devdata --no-export)
t0=$(date +%s.%N)
python3 -m attune_train.train "${COMMON[@]}" --steps 150 --finetune-steps 0 --out /tmp/probe --ckpt-every 0 \
  | grep -E "step (1|150)/" || true
t1=$(date +%s.%N)
# the probe includes loading (the same cost again below) and CUDA start-up: a conservative rate
STEPS=$(python3 -c "r=150/max($t1-$t0-20,1); print(int(min($MAX_STEPS, max(1000, r*$TRAIN_SECONDS))//500*500))")
echo "probe: $(python3 -c "print(round($t1-$t0,1))") s for 150 steps (+ loading); training ${STEPS} steps"
CMD=(python3 -m attune_train.train "${COMMON[@]}" --steps "$STEPS" --ckpt-every 500 --out "$OUT/v2" --max-minutes 8.5)
echo "command (from training/): ${CMD[*]}"
"${CMD[@]}" 2>&1 | tee "$OUT/train.log"
rm -f "$OUT/v2/checkpoint-trained.pt" "$OUT/v2/train.log"  # stay under the 8 files the tool returns
ls -la "$OUT" "$OUT/v2" "$OUT/v2/checkpoint"
