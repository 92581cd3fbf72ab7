import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { loadCase } from '../case/index.ts';
import { decodeModel, disposeModel, forwardNetwork, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import {
  adaptCase,
  adaptableParameterNames,
  bnMixGrid,
  disposeAdaptation,
  klAlignmentLoss,
  registerWasmConv2dBackpropFilter,
  statsSliceBatch,
  statsSliceIndices,
  type AdaptMode,
  type AdaptSettings,
  type BnReference,
} from './index.ts';

const arch = { bnLayers: ['a', 'b'], klEpsilon: 0 };
const t1 = (v: number[]) => tf.tensor1d(v);

async function synthetic(seed: number, gain?: number): Promise<PreprocessedCase> {
  const g = gain ? { t1: gain, t1ce: gain, t2: gain, flair: gain } : undefined;
  const { check } = await loadCase(Object.values(makeSyntheticCase({ seed, gain: g }).files));
  return preprocess(check.mriCase!.modalities);
}

/** The tiny model with BN running statistics recalibrated on `pre` (as the trainer does), so that `pre` is in-domain. */
function calibrated(pre: PreprocessedCase): AttuneModel {
  const { manifest, weights } = makeTinyModelFiles();
  const model = decodeModel(manifest, [weights]);
  // One pass where every BN uses its own input's moments: running stats = those moments
  // reproduce the same activations in inference mode (single calibration scan).
  const { data, shape } = statsSliceBatch(pre, model.arch.statsSlices);
  const { bnMoments } = forwardNetwork(model.weights, model.arch, tf.tensor4d(data, shape), { bnStatistics: 'input' });
  for (const bn of model.arch.bnLayers) {
    model.weights[`${bn}/moving_mean`] = bnMoments![bn].mean;
    model.weights[`${bn}/moving_variance`] = bnMoments![bn].variance;
  }
  return model;
}

describe('klAlignmentLoss', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it('is zero for identical statistics', () => {
    const m = { a: { mean: t1([0.3, -1]), variance: t1([2, 0.5]) }, b: { mean: t1([1]), variance: t1([4]) } };
    const w = { 'a/moving_mean': t1([0.3, -1]), 'a/moving_variance': t1([2, 0.5]), 'b/moving_mean': t1([1]), 'b/moving_variance': t1([4]) };
    expect(klAlignmentLoss(m, w, arch).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('matches the closed form and averages over layers', () => {
    // KL(N(1, 4) ‖ N(0, 1)) = log(1/2) + (4 + 1)/2 − 1/2 = 2 − ln 2 ; KL(N(0,1) ‖ N(0,1)) = 0
    const m = { a: { mean: t1([1, 0]), variance: t1([4, 1]) }, b: { mean: t1([0]), variance: t1([1]) } };
    const w = { 'a/moving_mean': t1([0, 0]), 'a/moving_variance': t1([1, 1]), 'b/moving_mean': t1([0]), 'b/moving_variance': t1([1]) };
    expect(klAlignmentLoss(m, w, arch).dataSync()[0]).toBeCloseTo((2 - Math.log(2)) / 2, 5);
  });

  it('gradient matches finite differences through a tiny network', async () => {
    const { manifest, weights } = makeTinyModelFiles({ seed: 3 });
    const model = decodeModel(manifest, [weights]);
    const x = tf.randomNormal([2, 16, 16, 4], 0, 1, 'float32', 5) as tf.Tensor4D;
    const name = 'enc0_conv1_bn/gamma';
    const lossAt = (gamma: tf.Tensor) => {
      const w = { ...model.weights, [name]: gamma };
      return klAlignmentLoss(forwardNetwork(w, model.arch, x, { collectBnMoments: true }).bnMoments!, w, model.arch);
    };
    const g0 = model.weights[name];
    const grad = tf.grad((g: tf.Tensor) => lossAt(g))(g0).dataSync();
    const h = 1e-2;
    for (const c of [0, 2]) {
      const e = tf.mul(tf.reshape(tf.oneHot([c], g0.shape[0]), g0.shape), h);
      const fd = (lossAt(tf.add(g0, e)).dataSync()[0] - lossAt(tf.sub(g0, e)).dataSync()[0]) / (2 * h);
      expect(Math.abs(grad[c] - fd)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe('statsSliceIndices', () => {
  it('spreads K slices over the extent like the trainer', () => {
    expect(statsSliceIndices(80, 8)).toEqual([5, 15, 25, 35, 45, 55, 65, 75]);
    expect(statsSliceIndices(3, 8)).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
    expect(() => statsSliceIndices(10, 0)).toThrow(/positive integer/);
  });
});

describe('adaptCase', () => {
  let inDomain: PreprocessedCase;
  let shifted: PreprocessedCase;
  let model: AttuneModel;
  const settings = (mode: AdaptMode, over: Partial<AdaptSettings> = {}): AdaptSettings => ({
    mode, optimizer: 'adam', learningRate: 5e-3, iterations: 6, statsSlices: 4, ...over,
  });

  beforeAll(async () => {
    // wasm: the cpu backend's convolution gradients make these minutes instead of seconds.
    await useNodeBackend('wasm');
    registerWasmConv2dBackpropFilter();
    inDomain = await synthetic(11);
    model = calibrated(inDomain);
    // The same anatomy through a non-linear "scanner": z-scoring removes gain, not the curve.
    shifted = { ...inDomain, input: inDomain.input.map((v) => (v === 0 ? 0 : Math.sign(v) * Math.abs(v) ** 1.6 + 0.3)) };
  });

  it('in-domain scans get a lower shift score than shifted ones', async () => {
    const a = await adaptCase(model, inDomain, settings('none'));
    const b = await adaptCase(model, shifted, settings('none'));
    expect(a.shiftScore).toBeLessThan(b.shiftScore);
    expect(a.lossCurve).toEqual([a.shiftScore]);
  });

  for (const mode of ['normalizer', 'bn'] as const) {
    it(`${mode}: lowers the alignment loss on a shifted input, never keeps a worse iterate, touches only its parameters`, async () => {
      const before = Object.fromEntries(Object.entries(model.weights).map(([k, t]) => [k, t.dataSync().slice()]));
      const progress: number[] = [];
      const a = await adaptCase(model, shifted, settings(mode), { onIteration: (i) => progress.push(i) });
      expect(a.lossCurve).toHaveLength(7);
      expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(a.lossCurve[0]).toBeCloseTo(a.shiftScore, 5);
      expect(Math.min(...a.lossCurve)).toBeLessThan(a.lossCurve[0]);
      expect(a.lossCurve[a.chosenIteration]).toBe(Math.min(...a.lossCurve));
      expect(a.lossCurve[a.chosenIteration]).toBeLessThanOrEqual(a.lossCurve[0]);
      const allowed = new Set(adaptableParameterNames(model.arch, mode));
      let changed = 0;
      for (const [k, t] of Object.entries(a.weights)) {
        const same = t.dataSync().every((v, i) => Object.is(v, before[k][i]));
        if (!allowed.has(k)) expect(same, k).toBe(true);
        else if (!same) changed++;
      }
      expect(changed).toBeGreaterThan(0);
      // the shipped weights (incl. running statistics) are untouched: the next scan starts from them
      for (const [k, t] of Object.entries(model.weights)) expect(t.dataSync()).toEqual(before[k]);
      disposeAdaptation(a);
    });
  }

  it('keeps iteration 0 when every step makes things worse', async () => {
    // a far too large SGD step overshoots: every iterate after 0 has a higher loss
    const a = await adaptCase(model, shifted, settings('bn', { optimizer: 'sgd', learningRate: 1e4, iterations: 3 }));
    expect(a.lossCurve.slice(1).every((l) => !(l <= a.lossCurve[0]))).toBe(true); // NaN counts as worse
    expect(a.chosenIteration).toBe(0);
    expect(a.weights['enc0_conv1_bn/gamma'].dataSync()).toEqual(model.weights['enc0_conv1_bn/gamma'].dataSync());
    disposeAdaptation(a);
  });

  it('iteration budgets keep what a shorter run keeps, from one run', async () => {
    const n0 = tf.memory().numTensors;
    const long = await adaptCase(model, shifted, settings('bn'), { iterationBudgets: [0, 3, 6] });
    const short = await adaptCase(model, shifted, settings('bn', { iterations: 3 }));
    expect(long.budgets!.map((b) => b.iterations)).toEqual([0, 3, 6]);
    expect(long.budgets![0].chosenIteration).toBe(0);
    expect(long.budgets![1].chosenIteration).toBe(short.chosenIteration);
    expect(long.budgets![2].chosenIteration).toBe(long.chosenIteration);
    const name = 'down1_conv1_bn/beta';
    const a = long.budgets![1].weights[name].dataSync();
    const b = short.weights[name].dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    expect(long.budgets![0].weights[name].dataSync()).toEqual(model.weights[name].dataSync());
    disposeAdaptation(long);
    disposeAdaptation(short);
    expect(tf.memory().numTensors).toBe(n0);
  });

  for (const mode of ['bn', 'normalizer', 'tent'] as const) {
    it(`${mode}: adapting in parts of the statistics slices gives the same losses and parameters, and frees everything`, async () => {
      const n0 = tf.memory().numTensors;
      const whole = await adaptCase(model, shifted, settings(mode, { iterations: 3 }));
      const parts = await adaptCase(model, shifted, settings(mode, { iterations: 3 }), { adaptBatchSize: 3 }); // 4 slices → 3 + 1
      expect(parts.lossCurve).toHaveLength(4);
      parts.lossCurve.forEach((l, i) => expect(l).toBeCloseTo(whole.lossCurve[i], 4));
      expect(parts.chosenIteration).toBe(whole.chosenIteration);
      for (const name of adaptableParameterNames(model.arch, mode)) {
        const a = parts.weights[name].dataSync();
        const b = whole.weights[name].dataSync();
        for (let i = 0; i < a.length; i++) expect(a[i], name).toBeCloseTo(b[i], 4);
      }
      expect(Math.min(...parts.lossCurve)).toBeLessThan(parts.lossCurve[0]);
      disposeAdaptation(whole);
      disposeAdaptation(parts);
      expect(tf.memory().numTensors).toBe(n0);
    });
  }

  it('the shift score does not depend on the adaptation batch', async () => {
    const a = await adaptCase(model, shifted, settings('none'));
    const b = await adaptCase(model, shifted, settings('none'), { adaptBatchSize: 1 });
    expect(b.shiftScore).toBeCloseTo(a.shiftScore, 4);
  });

  it('adabn: every BN normalises with the scan\'s own statistics, without gradients; on the calibration scan they are the stored ones', async () => {
    const close = (a: tf.Tensor, b: tf.Tensor, what: string) => {
      const [p, q] = [a.dataSync(), b.dataSync()];
      expect(p.length, what).toBe(q.length);
      p.forEach((v, i) => expect(Math.abs(v - q[i]), `${what}[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(q[i]))));
    };
    const a = await adaptCase(model, shifted, settings('adabn'));
    expect(a.lossCurve).toHaveLength(2);
    expect(a.chosenIteration).toBe(1);
    expect(a.weights).toBe(model.weights); // no parameter was optimised
    expect(Object.keys(a.bnStatisticsOverride!)).toEqual(model.arch.bnLayers);
    // The scan's own statistics: normalising every BN with them, each BN's input on the
    // statistics slices has exactly these moments (measured here through the override path).
    const { data, shape } = statsSliceBatch(shifted, 4);
    tf.tidy(() => {
      const measured = forwardNetwork(model.weights, model.arch, tf.tensor4d(data, shape), { collectBnMoments: true, bnStatisticsOverride: a.bnStatisticsOverride }).bnMoments!;
      for (const l of model.arch.bnLayers) {
        close(a.bnStatisticsOverride![l].mean, measured[l].mean, `${l} mean`);
        close(a.bnStatisticsOverride![l].variance, measured[l].variance, `${l} variance`);
      }
      // …and not the stored ones: this scan is shifted.
      expect(Array.from(a.bnStatisticsOverride!['down2_conv1_bn'].mean.dataSync())).not.toEqual(Array.from(model.weights['down2_conv1_bn/moving_mean'].dataSync()));
    });
    // Normalising with its own statistics brings the deeper features closer to the stored ones.
    expect(a.lossCurve[1]).toBeLessThan(a.lossCurve[0]);
    disposeAdaptation(a);
    // The model's running statistics were measured on the in-domain scan (calibrated()): AdaBN there recovers them.
    const b = await adaptCase(model, inDomain, settings('adabn'));
    for (const l of model.arch.bnLayers) {
      close(b.bnStatisticsOverride![l].mean, model.weights[`${l}/moving_mean`], `${l} mean`);
      close(b.bnStatisticsOverride![l].variance, model.weights[`${l}/moving_variance`], `${l} variance`);
    }
    expect(b.lossCurve[1]).toBeLessThan(1e-4);
    disposeAdaptation(b);
  });

  it('frees every tensor it made, also when cancelled', async () => {
    const n0 = tf.memory().numTensors;
    disposeAdaptation(await adaptCase(model, shifted, settings('normalizer', { iterations: 2 })));
    expect(tf.memory().numTensors).toBe(n0);
    let calls = 0;
    const cancel = () => { if (++calls === 2) throw new Error('cancelled'); };
    await expect(adaptCase(model, shifted, settings('bn'), { checkCancelled: cancel })).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('frees every tensor when cancelled from onIteration, as the worker cancels (found by e2e/longSession.spec.ts)', async () => {
    // Before: the iteration's parameter snapshot leaked (24 tensors for the normalizer, 16
    // for TENT here), and AdaBN's statistics (44), on every cancelled run.
    for (const mode of ['normalizer', 'bn', 'tent', 'adabn'] as const) {
      for (const at of [0, 1, 2]) {
        if (mode === 'adabn' && at !== 1) continue;
        const n0 = tf.memory().numTensors;
        const b0 = tf.memory().numBytes;
        const onIteration = (iteration: number) => { if (iteration === at) throw new Error('cancelled'); };
        await expect(adaptCase(model, shifted, settings(mode, { iterations: 3 }), { onIteration }), `${mode} at ${at}`).rejects.toThrow('cancelled');
        expect({ mode, at, tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }).toEqual({ mode, at, tensors: n0, bytes: b0 });
      }
    }
  });

  it('stopAfter measures the same moments as the full pass, masked moments count only the mask', () => {
    const { data, shape } = statsSliceBatch(shifted, 4);
    tf.tidy(() => {
      const x = tf.tensor4d(data, shape);
      const full = forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true }).bnMoments!;
      const stopped = forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true, stopAfter: 'down1_conv2_bn' });
      expect(stopped.logits).toBeUndefined();
      expect(Object.keys(stopped.bnMoments!)).toEqual(['enc0_conv1_bn', 'enc0_conv2_bn', 'down1_conv1_bn', 'down1_conv2_bn']);
      expect(stopped.bnMoments!['down1_conv2_bn'].mean.dataSync()).toEqual(full['down1_conv2_bn'].mean.dataSync());
      // An all-ones mask is the plain moments; a mask over part of the slice is not.
      const ones = tf.ones([shape[0], shape[1], shape[2]]) as tf.Tensor3D;
      const masked = forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true, momentsMask: ones, stopAfter: 'enc0_conv2_bn' }).bnMoments!;
      const a = masked['enc0_conv2_bn'].variance.dataSync();
      const b = full['enc0_conv2_bn'].variance.dataSync();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
      // Convolutions act per slice: masking out the last slices is exactly measuring the first ones.
      const firstTwo = tf.concat([tf.ones([2, shape[1], shape[2]]), tf.zeros([shape[0] - 2, shape[1], shape[2]])], 0) as tf.Tensor3D;
      const masked2 = forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true, momentsMask: firstTwo, stopAfter: 'down1_conv2_bn' }).bnMoments!;
      const only2 = forwardNetwork(model.weights, model.arch, tf.slice(x, [0, 0, 0, 0], [2, -1, -1, -1]), { collectBnMoments: true, stopAfter: 'down1_conv2_bn' }).bnMoments!;
      for (const l of ['enc0_conv1_bn', 'down1_conv2_bn']) {
        const p = masked2[l].variance.dataSync();
        const q = only2[l].variance.dataSync();
        p.forEach((v, i) => expect(v).toBeCloseTo(q[i], 4));
        expect(Array.from(p)).not.toEqual(Array.from(full[l].variance.dataSync()));
      }
    });
  });

  it('shallow-layer alignment: a curve of its own objective, lowered, and the shift score stays the method\'s', async () => {
    const all = await adaptCase(model, shifted, settings('none'));
    const a = await adaptCase(model, shifted, settings('bn', { layers: 'shallow' }));
    expect(a.shiftScore).toBeCloseTo(all.shiftScore, 5);
    expect(a.lossCurve[0]).not.toBeCloseTo(a.shiftScore, 3);
    expect(Math.min(...a.lossCurve)).toBeLessThan(a.lossCurve[0]);
    disposeAdaptation(a);
  });

  it('brain-pixel alignment needs the calibrated reference and aligns to it', async () => {
    await expect(adaptCase(model, shifted, settings('bn', { pixels: 'brain' }))).rejects.toThrow(/attune calibrate/);
    // The reference: the in-domain scan's own brain-pixel moments, so the shifted scan starts far from it.
    const { data, shape } = statsSliceBatch(inDomain, 4);
    const reference = tf.tidy(() => {
      const x = tf.tensor4d(data, shape);
      const brain = tf.cast(tf.any(tf.notEqual(x, 0), 3), 'float32') as tf.Tensor3D;
      return forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true, momentsMask: brain, stopAfter: 'down1_conv2_bn' }).bnMoments! as unknown as tf.TensorContainer;
    }) as unknown as BnReference;
    const n0 = tf.memory().numTensors;
    const near = await adaptCase(model, inDomain, settings('bn', { pixels: 'brain', layers: 'shallow', iterations: 0 }), { brainReference: reference });
    const far = await adaptCase(model, shifted, settings('bn', { pixels: 'brain', layers: 'shallow', iterations: 4 }), { brainReference: reference });
    expect(near.lossCurve[0]).toBeLessThan(1e-3);
    expect(far.lossCurve[0]).toBeGreaterThan(near.lossCurve[0]);
    expect(Math.min(...far.lossCurve)).toBeLessThan(far.lossCurve[0]);
    disposeAdaptation(near);
    disposeAdaptation(far);
    expect(tf.memory().numTensors).toBe(n0);
    Object.values(reference).forEach((m) => { m.mean.dispose(); m.variance.dispose(); });
  });

  it('bnmix: tries every blend, keeps the least uncertain one with its blended statistics, frees the rest', async () => {
    // The tiny model as generated (running statistics random, not this scan's): measured, the
    // source model is less confident than with the shallow layers normalised by the scan's own
    // statistics, so the blend (shallow 1, deep 0) wins (entropy 1.027 vs 1.068 for the source).
    const files = makeTinyModelFiles();
    const raw = decodeModel(files.manifest, [files.weights]);
    const n0 = tf.memory().numTensors;
    const a = await adaptCase(raw, inDomain, settings('bnmix', { iterations: 15 }));
    const grid = bnMixGrid();
    expect(a.lossCurve).toHaveLength(grid.length);
    expect(a.chosenIteration).toBe(a.lossCurve.indexOf(Math.min(...a.lossCurve))); // the first minimum
    expect(a.bnMix).toEqual({ shallow: 1, deep: 0 });
    expect(a.bnMix).toEqual(grid[a.chosenIteration]);
    expect(a.lossCurve[a.chosenIteration]).toBeLessThan(a.lossCurve[0]);
    expect(Object.keys(a.bnStatisticsOverride!)).toEqual(raw.arch.bnLayers);
    // The first BN layer's input does not depend on any BN: with α = 1 its kept statistics are
    // that input's moments on the statistics slices; a deep layer (α = 0) keeps the running ones.
    const { data, shape } = statsSliceBatch(inDomain, 4);
    const first = 'enc0_conv1_bn';
    const own = tf.tidy(() => forwardNetwork(raw.weights, raw.arch, tf.tensor4d(data, shape), { collectBnMoments: true, stopAfter: first }).bnMoments![first].variance.dataSync());
    a.bnStatisticsOverride![first].variance.dataSync().forEach((v, i) => expect(v).toBeCloseTo(own[i], 4));
    expect(Array.from(own)).not.toEqual(Array.from(raw.weights[`${first}/moving_variance`].dataSync()));
    expect(a.bnStatisticsOverride!['up1_conv2_bn'].mean.dataSync()).toEqual(raw.weights['up1_conv2_bn/moving_mean'].dataSync());
    disposeAdaptation(a);
    expect(tf.memory().numTensors).toBe(n0);
    disposeModel(raw);
  });

  it('bnmix keeps the source model when no blend is more confident', async () => {
    // A head that outputs zeros: every blend predicts the uniform distribution, the same
    // entropy (ln 4) bit for bit, and ties keep the earlier pair, (0, 0): the running statistics.
    const flat: AttuneModel = { ...model, weights: { ...model.weights, 'head/kernel': tf.zerosLike(model.weights['head/kernel']), 'head/bias': tf.zerosLike(model.weights['head/bias']) } };
    const n0 = tf.memory().numTensors;
    const z = await adaptCase(flat, shifted, settings('bnmix'));
    expect(new Set(z.lossCurve).size).toBe(1);
    expect(z.lossCurve[0]).toBeCloseTo(Math.log(4), 4);
    expect(z.chosenIteration).toBe(0);
    expect(z.bnMix).toEqual({ shallow: 0, deep: 0 });
    for (const l of model.arch.bnLayers) {
      expect(z.bnStatisticsOverride![l].mean.dataSync(), l).toEqual(model.weights[`${l}/moving_mean`].dataSync());
      expect(z.bnStatisticsOverride![l].variance.dataSync(), l).toEqual(model.weights[`${l}/moving_variance`].dataSync());
    }
    disposeAdaptation(z);
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([flat.weights['head/kernel'], flat.weights['head/bias']]);
  });
});

