#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, with .devbench/ from build.sh beside it:
# NVIDIA's Vulkan driver through Dawn → tfjs-backend-webgpu → Attune's pipeline, then the
# same slices in PyTorch (CUDA and CPU). Writes into ${OUT:-bench/results}.
set -uo pipefail
out=${OUT:-bench/results}
for f in .devbench/*.deb; do dpkg -x "$f" /; done; ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
xz -dc .devbench/node.xz > /tmp/node && chmod +x /tmp/node && tar xJf .devbench/webgpu.tar.xz -C /tmp
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
timeout 400 /tmp/node .devbench/gpuNode.mjs --dawn /tmp/webgpu/index.js --out "$out/gpu-node.json" "$@" 2>&1 | grep -v XDG_RUNTIME | tee "$out/gpu-node.log"
mkdir -p /tmp/c && ln -sfn "$PWD/public/demo" /tmp/c/BraTS2021_00324
python3 -m pip install -q --no-index --no-deps --target /tmp/site .devbench/*.whl
PYTHONPATH=/tmp/site python3 bench/pytorch_forward.py /tmp/c/BraTS2021_00324 --device cuda | tee "$out/torch-cuda.json"
