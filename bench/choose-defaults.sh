#!/usr/bin/env bash
# Chooses the adaptation defaults (issue 4) from institution-1 cases and simulated shifts only:
# a small grid of optimizer × learning rate per gradient mode at 20 iterations, each run through
# the CLI (`npx attune benchmark … --json`), then a summary table (bench/summarizeRuns.ts).
#   bash bench/choose-defaults.sh <cases folder> <out folder>
set -euo pipefail
cases=${1:?cases folder (one sub-folder per case)}
out=${2:?output folder}
mkdir -p "$out"
npx attune benchmark "$cases" --modes none --json "$out/none.json" > "$out/none.txt"
for mode in bn normalizer; do
  for opt in adam sgd; do
    for lr in 0.001 0.005; do
      npx attune benchmark "$cases" --modes "$mode" --optimizer "$opt" --lr "$lr" --iterations 20 \
        --json "$out/$mode-$opt-$lr.json" > "$out/$mode-$opt-$lr.txt"
    done
  done
done
npx tsx bench/summarizeRuns.ts "$out"/*.json
