import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASE, DEMO_CASE_DIR } from '../../node/demoCase.ts';
import { loadModelDir } from '../../node/loadModelDir.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { allDice } from '../metrics/dice.ts';
import { preprocess } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { loadCase } from '../case/index.ts';
import { forwardNetwork, segmentCase, type AttuneModel } from './index.ts';
import caseDice from './fixtures/case-dice.json';

const MODEL_DIR = new URL('../../../models/attune-brats-inst18/', import.meta.url).pathname;

describe('segmentCase', () => {
  let model: AttuneModel;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    model = await loadModelDir(MODEL_DIR);
  });

  it('labels every voxel with {0,1,2,4} on the original grid and leaks no tensor', async () => {
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 3 }).files));
    const pre = preprocess(check.mriCase!.modalities);
    await segmentCase(model.weights, model.arch, pre, { batchSize: 4 }); // warm-up allocations
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const a = await segmentCase(model.weights, model.arch, pre, { batchSize: 3, onProgress: (d) => progress.push(d) });
    const b = await segmentCase(model.weights, model.arch, pre, { batchSize: 5 });
    const raw = await segmentCase(model.weights, model.arch, pre, { batchSize: 8, postprocess: false });
    expect(tf.memory().numTensors).toBe(before);
    const [x, y, z] = pre.box.dims;
    expect(a.labels.length).toBe(x * y * z);
    for (const v of new Set(a.labels)) expect([0, 1, 2, 4]).toContain(v);
    expect(b.labels).toEqual(a.labels); // batching does not change the result
    expect(progress.at(-1)).toBe(pre.shape[0]);

    // The cropped labels are the network's argmax, class → BraTS label, slice by slice: here
    // from one unfused forward pass over every slice (not segmentCase's fused, batched one).
    const [d, h, w, c] = pre.shape;
    const classes = tf.tidy(() => tf.argMax(forwardNetwork(model.weights, model.arch, tf.tensor4d(pre.input, [d, h, w, c])).logits, 3).dataSync());
    let mismatched = 0;
    classes.forEach((k, n) => (mismatched += model.arch.labels[k] === raw.croppedLabels[n] ? 0 : 1));
    expect(mismatched / classes.length, 'fused vs unfused argmax: only float-rounding ties may differ').toBeLessThan(1e-4);
    // On the original grid (the phantom is stored in the model's orientation): each voxel of the
    // brain's bounding box carries its cropped label, every voxel outside it is background.
    expect(pre.orientation.identity).toBe(true);
    const { start: [si, sj, sk], size: [cw, ch], brain } = pre.box;
    const inside = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;
    let wrong = 0;
    for (let k = 0, n = 0; k < z; k++) {
      for (let j = 0; j < y; j++) {
        for (let i = 0; i < x; i++, n++) {
          const expected = inside(i, brain.i) && inside(j, brain.j) && inside(k, brain.k) ? raw.croppedLabels[((k - sk) * ch + (j - sj)) * cw + (i - si)] : 0;
          if (raw.labels[n] !== expected) wrong++;
        }
      }
    }
    expect(wrong).toBe(0);
  });

  // The bundled demo case is this real case, so the test runs on every machine.
  it('a real case gets the Dice the Python evaluation reported (±0.005)', async () => {
    expect(caseDice.case).toBe(DEMO_CASE);
    const sha = createHash('sha256').update(readFileSync(join(MODEL_DIR, 'weights.bin'))).digest('hex');
    expect(sha, 'case-dice.json is of another model: rerun `python3 -m attune_train.fixtures` (training/attune_train/fixtures.py)').toBe(caseDice.weightsSha256);
    const { check } = await readCaseFolder(DEMO_CASE_DIR);
    const mri = check.mriCase!;
    const pre = preprocess(mri.modalities);
    const seg = await segmentCase(model.weights, model.arch, pre, { batchSize: 8, postprocess: false }); // the Python Dice is of the raw argmax
    const ref = allDice(seg.labels, mri.label!.data as ArrayLike<number>);
    for (const [k, v] of Object.entries(caseDice.dice)) {
      if (v === null) expect(ref[k as keyof typeof ref]).toBeNull();
      else expect(Math.abs((ref[k as keyof typeof ref] as number) - v), k).toBeLessThanOrEqual(0.005);
    }
  }, 300_000);
});
