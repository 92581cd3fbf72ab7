#!/usr/bin/env bash
# Recipe v2 on the GPU device machine, in one call of the `run` tool (training/device/README.md).
#   bash training/device/train_v2.sh [TRAIN_SECONDS] [MAX_STEPS]
# 1. a 150-step probe (--train-only) measures steps/s on this GPU (its weights are thrown away);
# 2. the real run gets --steps = what fits in TRAIN_SECONDS (default 360), at most MAX_STEPS
#    (default 30000), at least the recipe's 8000 if that fits; the exact command is logged, so a
#    CPU or a later GPU run reproduces it;
# 3. BN recalibration + BN-frozen fine-tuning run on the GPU too; evaluation and export are left
#    to the real NIfTI files on the developer's machine (`--resume` of the returned checkpoint).
# Writes under $OUT: train.log, v2/checkpoint/{state.pt,optim.pt}, v2/checkpoint-final.pt.
# A CPU dry run of the script's plumbing (seconds of training, one scan):
#   OUT=/tmp/o DEVICE=cpu PROBE_STEPS=2 MIN_STEPS=2 EXTRA="--train-cases BraTS2021_00000 --batch 2 --crop 64" \
#     bash training/device/train_v2.sh 1
set -euo pipefail
TRAIN_SECONDS=${1:-360}
MAX_STEPS=${2:-30000}
OUT=${OUT:?run me through the device tool, which sets OUT}
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
ls .devdata/*.u8.npz.xz >/dev/null || { echo "training/.devdata is missing: carry it (see training/device/README.md)"; exit 2; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
"${PY:-python3}" -c "import torch, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'numpy', numpy.__version__)"

PY=${PY:-python3}
PROBE_STEPS=${PROBE_STEPS:-150}
MIN_STEPS=${MIN_STEPS:-1000}
# shellcheck disable=SC2206
COMMON=(--recipe v2 --device "${DEVICE:-cuda}" --threads 4 --data .devdata --no-export ${EXTRA:-})
t0=$(date +%s.%N)
"$PY" -m attune_train.train "${COMMON[@]}" --steps "$PROBE_STEPS" --train-only --out /tmp/probe --ckpt-every 0 \
  | tee /tmp/probe.log | grep -E "step (1|$PROBE_STEPS)/|trained" || true
t1=$(date +%s.%N)
# seconds of the probe's steps alone (its log), else the whole probe: loading and CUDA start-up
SECS=$(sed -n 's/.*trained [0-9]* steps in \([0-9.]*\)s.*/\1/p' /tmp/probe.log)
STEPS=$("$PY" -c "
r = $PROBE_STEPS / max(${SECS:-$t1 - $t0}, 1e-3) / 1.1  # 10 % margin

s = int(min($MAX_STEPS, max($MIN_STEPS, r * $TRAIN_SECONDS)))
print(s // 500 * 500 if s >= 1000 else s)")
echo "probe: $PROBE_STEPS steps in ${SECS:-?} s ($("$PY" -c "print(round($t1 - $t0, 1))") s with loading); training ${STEPS} steps"
CMD=("$PY" -m attune_train.train "${COMMON[@]}" --steps "$STEPS" --ckpt-every 500 --out "$OUT/v2" --max-minutes 8)
echo "command (from training/): ${CMD[*]}"
"${CMD[@]}" 2>&1 | tee "$OUT/train.log"
rm -f "$OUT/v2/checkpoint-trained.pt" "$OUT/v2/train.log"  # stay under the 8 files the tool returns
ls -la "$OUT" "$OUT/v2" "$OUT/v2/checkpoint"
