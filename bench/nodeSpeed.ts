/**
 * Node timing of inference and adaptation on one real case (wasm backend):
 *   npx tsx bench/nodeSpeed.ts [case folder] [--backend wasm|cpu] [--iterations N]
 * Prints absolute seconds and the P1-style ratio (iterations of adaptation + final inference)
 * / (one baseline inference). Browser numbers (WebGPU, wasm in Chromium) come from bench/browser.
 */
import * as tf from '@tensorflow/tfjs-core';
import { segmentCase } from '../src/core/model/index.ts';
import { preprocess } from '../src/core/preprocess/index.ts';
import { adaptAndSegment, DEFAULT_SETTINGS, registerWasmConv2dBackpropFilter, type AdaptMode } from '../src/core/tta/index.ts';
import { DEFAULT_MODEL_DIR } from '../src/cli/main.ts';
import { loadModelDir } from '../src/node/loadModelDir.ts';
import { readCaseFolder } from '../src/node/readCaseFolder.ts';
import { useNodeBackend, type NodeBackend } from '../src/node/useNodeBackend.ts';

const args = process.argv.slice(2);
const flag = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/data/brats2021/BraTS2021_00324';
const iterations = Number(flag('iterations', '20'));
const modes = flag('modes', 'bn,normalizer').split(',') as AdaptMode[];

await useNodeBackend(flag('backend', 'wasm') as NodeBackend);
registerWasmConv2dBackpropFilter();
const model = await loadModelDir(flag('model', DEFAULT_MODEL_DIR));
const { check } = await readCaseFolder(dir);
const pre = preprocess(check.mriCase!.modalities);
console.log(`case ${dir}: cropped ${pre.shape.join('×')} (D×H×W×C), backend ${tf.getBackend()}`);
await segmentCase(model.weights, model.arch, pre, { batchSize: 8 }); // warm-up
let t = performance.now();
await segmentCase(model.weights, model.arch, pre, { batchSize: 8 });
const base = (performance.now() - t) / 1000;
console.log(`baseline inference: ${base.toFixed(2)} s (${(base / pre.shape[0] * 1000).toFixed(0)} ms/slice)`);
for (const mode of modes) {
  t = performance.now();
  const r = await adaptAndSegment(model, pre, { ...DEFAULT_SETTINGS[mode], iterations }, { batchSize: 8 });
  const total = (performance.now() - t) / 1000;
  console.log(`${mode}: ${iterations} iterations ${r.report.seconds.toFixed(2)} s (${(r.report.seconds / Math.max(1, iterations)).toFixed(2)} s/it) + final inference ${r.segmentSeconds.toFixed(2)} s; ratio to baseline ${(total / base).toFixed(2)}×; peak tensors ${tf.memory().numTensors}`);
}
