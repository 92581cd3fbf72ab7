/**
 * GPU benchmark in Node: the app's own pipeline (core + the worker's WebGPU kernel patches)
 * on tfjs-backend-webgpu over Dawn (the `webgpu` npm package), for a machine with a real GPU.
 * bench/device/build.sh bundles it into one file, so that machine needs only node and
 * dawn.node:
 *   node gpuNode.mjs --dawn <webgpu/index.js> [--case public/demo] [--model models/attune-brats-inst18]
 *                    [--iterations 20] [--out result.json] [--dawn-flags backend=null] [--batches 8,32]
 *                    [--modes bn,normalizer] [--adapt-batches plan,8] [--tf-flags KEY=VALUE,…]
 * Prints and writes P1 (adaptation + final inference over one baseline inference), per-slice
 * forward times, the adapter's limits and peak GPU memory (tfjs's buffer accounting).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { loadCase } from '../src/core/case/index.ts';
import { forwardNetwork, segmentCase } from '../src/core/model/index.ts';
import { makeSyntheticCase } from '../src/core/synthetic/index.ts';
import { preprocess } from '../src/core/preprocess/index.ts';
import { adaptAndSegment, DEFAULT_SETTINGS, registerConvGradients, statsSliceBatch } from '../src/core/tta/index.ts';
import { limitsFor, planRun, weightBytesOf } from '../src/core/memory/index.ts';
import { loadModelDir } from '../src/node/loadModelDir.ts';
import { readCaseFolder } from '../src/node/readCaseFolder.ts';
import { patchWebGpuKernels } from '../src/worker/webgpuKernels.ts';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const log = (s: string) => console.log(s);

type Adapter = { info?: Record<string, string>; limits: Record<string, number>; features: Set<string> };

async function main() {
  const dawn = (await import(pathToFileURL(flag('dawn', 'webgpu/index.js')).href)) as { create(flags: string[]): { requestAdapter(o?: object): Promise<Adapter | null> }; globals: object };
  Object.assign(globalThis, dawn.globals);
  // --dawn-flags backend=null: Dawn's no-op backend, to check this script without a GPU.
  const gpu = dawn.create(flag('dawn-flags', '').split(',').filter(Boolean));
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('Dawn gave no WebGPU adapter (no Vulkan driver?)');
  const info = adapter.info ?? {};
  const limits = { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize, maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension };
  log(`adapter: ${info.vendor} ${info.architecture} ${info.device} ${info.description}; limits ${JSON.stringify(limits)}`);

  await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu' now that navigator.gpu exists
  registerConvGradients();
  // --tf-flags KEY=VALUE,…: tfjs environment flags (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64)
  for (const kv of flag('tf-flags', '').split(',').filter(Boolean)) {
    const [k, v] = kv.split('=');
    tf.env().set(k, v === 'true' ? true : v === 'false' ? false : Number(v));
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start on the WebGPU adapter');
  await tf.ready();
  patchWebGpuKernels();

  const model = await loadModelDir(flag('model', 'models/attune-brats-inst18'));
  const caseDir = flag('case', 'public/demo');
  const { check } = caseDir === 'synthetic' ? await loadCase(Object.values(makeSyntheticCase({ dims: [96, 96, 24], seed: 5 }).files)) : await readCaseFolder(caseDir);
  const pre = preprocess(check.mriCase!.modalities);
  const [d, h, w] = pre.shape;
  const iterations = Number(flag('iterations', '20'));
  log(`case ${d}×${h}×${w} (cropped), iterations ${iterations}`);

  const seconds = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const r = await f();
    return [r, (performance.now() - t) / 1000];
  };

  const inference: Record<string, number> = {};
  const batches = flag('batches', '8,32').split(',').map(Number);
  for (const batchSize of batches) {
    await segmentCase(model.weights, model.arch, pre, { batchSize }); // warm-up: shader compilation
    inference[`batch${batchSize}`] = (await seconds(() => segmentCase(model.weights, model.arch, pre, { batchSize })))[1];
    log(`inference, batch ${batchSize}: ${inference[`batch${batchSize}`].toFixed(3)} s (${((inference[`batch${batchSize}`] / d) * 1000).toFixed(1)} ms/slice)`);
  }
  const batchSize = batches.reduce((a, b) => (inference[`batch${b}`] < inference[`batch${a}`] ? b : a));
  const baseline = inference[`batch${batchSize}`];

  const stats = statsSliceBatch(pre, 8);
  const per = h * w * 4;
  const perSliceMs = async (fused: boolean) => {
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      for (let s = 0; s < 8; s++) {
        const t = performance.now();
        const y = tf.tidy(() => forwardNetwork(model.weights, model.arch, tf.tensor4d(stats.data.subarray(s * per, (s + 1) * per), [1, h, w, 4]), { fused }).logits);
        await y.data();
        y.dispose();
        if (rep > 0) times.push(performance.now() - t);
      }
    }
    return times.reduce((a, b) => a + b, 0) / times.length;
  };
  const forwardMsPerSlice = await perSliceMs(true); // the inference path
  const forwardMsPerSliceUnfused = await perSliceMs(false);
  log(`per-slice forward (batch 1, statistics slices): ${forwardMsPerSlice.toFixed(2)} ms fused inference path, ${forwardMsPerSliceUnfused.toFixed(2)} ms unfused`);

  const runs: Record<string, unknown>[] = [];
  // The memory plan's adaptation passes first: tfjs's GPU buffer pool only grows, so its size after
  // those two runs is their peak; then all 8 statistics slices at once.
  const modes = flag('modes', 'bn,normalizer').split(',') as ('bn' | 'normalizer')[];
  const planned = (mode: 'bn' | 'normalizer') => planRun(model.arch, { height: h, width: w }, weightBytesOf(model.weights), { batchSize: 8, settings: [DEFAULT_SETTINGS[mode]] }, limitsFor('webgpu', limits)).adaptBatchSizes[0];
  const plan = flag('adapt-batches', 'plan,8').split(',').flatMap((b) => modes.map((mode) => ({ mode, adaptBatchSize: b === 'plan' ? planned(mode) : Number(b) })));
  for (const { mode, adaptBatchSize } of plan) {
    const settings = { ...DEFAULT_SETTINGS[mode], iterations };
    // 2 iterations under tf.profile: kernels per iteration and the tensors' peak bytes
    const prof = await tf.profile(() => adaptAndSegment(model, pre, { ...settings, iterations: 2 }, { batchSize, adaptBatchSize }).then(() => undefined));
    const [r, total] = await seconds(() => adaptAndSegment(model, pre, settings, { batchSize, adaptBatchSize }));
    const mem = tf.memory() as { numBytesAllocatedInGPU?: number };
    const run = {
      mode, adaptBatchSize, adaptSeconds: r.report.seconds, segmentSeconds: r.segmentSeconds, p1: total / baseline,
      secondsPerIteration: r.report.seconds / (iterations + 1),
      kernelsIn2Iterations: prof.kernels.length, tensorPeakMiB: prof.peakBytes / 2 ** 20,
      gpuPoolMiB: (mem.numBytesAllocatedInGPU ?? 0) / 2 ** 20,
      chosenIteration: r.report.chosenIteration, loss0: r.report.lossCurve[0], lossBest: r.report.lossCurve[r.report.chosenIteration],
    };
    runs.push(run);
    log(`${mode} (adaptation batch ${adaptBatchSize}): ${iterations} it ${r.report.seconds.toFixed(2)} s + final ${r.segmentSeconds.toFixed(2)} s = P1 ${run.p1.toFixed(2)}×; ${prof.kernels.length} kernels for 2 iterations + inference; tensors peak ${run.tensorPeakMiB.toFixed(0)} MiB, GPU pool ${run.gpuPoolMiB.toFixed(0)} MiB; loss ${run.loss0.toFixed(3)} → ${run.lossBest.toFixed(3)}`);
  }
  const result = { date: new Date().toISOString(), adapter: info, limits, case: pre.shape, iterations, inference, baselineSeconds: baseline, batchSize, forwardMsPerSlice, forwardMsPerSliceUnfused, runs, memory: tf.memory() };
  const out = flag('out', '');
  if (out) await writeFile(out, JSON.stringify(result, null, 1));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`gpuNode: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
