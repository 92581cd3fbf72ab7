import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../node/loadModelDir.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { allDice } from '../metrics/dice.ts';
import { preprocess } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { loadCase } from '../case/index.ts';
import { segmentCase, type AttuneModel } from './index.ts';
import caseDice from './fixtures/case-dice.json';

const MODEL_DIR = new URL('../../../models/attune-brats-inst18/', import.meta.url).pathname;
const DATA = new URL('../../../../shared/data/brats2021/', import.meta.url).pathname;

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
    expect(tf.memory().numTensors).toBe(before);
    const [x, y, z] = pre.box.dims;
    expect(a.labels.length).toBe(x * y * z);
    expect(new Set(a.labels).size).toBeGreaterThan(0);
    for (const v of new Set(a.labels)) expect([0, 1, 2, 4]).toContain(v);
    expect(b.labels).toEqual(a.labels); // batching does not change the result
    expect(progress.at(-1)).toBe(pre.shape[0]);
  });

  it.skipIf(!existsSync(DATA + caseDice.case))('a real case gets the Dice the Python evaluation reported (±0.005)', async () => {
    const { check } = await readCaseFolder(DATA + caseDice.case);
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
