#!/usr/bin/env bash
# Prepares .devbench/ (git-ignored) for the GPU benchmark on a machine that has a GPU but
# no network and no Node: the bundled benchmark (bench/gpuNode.ts + core, one file), this
# machine's Node binary, Dawn's Node binding (the `webgpu` npm package, linux-x64 only),
# the Vulkan/GL loader libraries, and nibabel for the PyTorch reference. Then run
# bench/device/run.sh there with .devbench carried along. Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.devbench
mkdir -p "$out" /tmp/attune-devbench
npx esbuild bench/gpuNode.ts --bundle --platform=node --format=esm --outfile="$out/gpuNode.mjs" \
  --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" --log-level=warning
cp "$(command -v node)" /tmp/attune-devbench/node && strip /tmp/attune-devbench/node
xz -T0 -6 -c /tmp/attune-devbench/node > "$out/node.xz"
(cd /tmp/attune-devbench && npm pack webgpu@0.6.2 >/dev/null && rm -rf package && tar xzf webgpu-0.6.2.tgz \
  && rm -rf webgpu && mkdir -p webgpu/dist/linux-x64 && cp package/index.js package/package.json webgpu/ \
  && cp package/dist/linux-x64/dawn.node webgpu/dist/linux-x64/)
tar -C /tmp/attune-devbench -cJf "$out/webgpu.tar.xz" webgpu
mkdir -p /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd "$out" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
python3 -m pip download --no-deps --only-binary=:all: nibabel -d "$out" -q
du -sh "$out"
