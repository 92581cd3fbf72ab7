import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCase } from '../case/index.ts';
import { decodeModel, segmentCase, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { adaptCase, DEFAULT_SETTINGS, type AdaptSettings } from '../tta/index.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { ADAPT_TARGET_BYTES, estimateRun, limitsFor, planRun, type MemoryLimits } from './runMemory.ts';

const MiB = 1024 * 1024;

/** tf.profile's peak, above what was allocated before (the weights). */
async function measuredPeak(f: () => Promise<void>): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(async () => {
    await f();
    return tf.scalar(0);
  });
  return info.peakBytes - before;
}

describe('estimateRun against the peak tfjs really allocates (cpu backend)', () => {
  let pre: PreprocessedCase;
  beforeAll(async () => {
    await useNodeBackend('cpu');
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 1, dims: [40, 28, 8] }).files));
    pre = preprocess(check.mriCase!.modalities);
  });

  // The tiny test model and the shipped model's widths, on a 48×32 crop.
  for (const widths of [[4, 8, 8, 8, 8], [16, 32, 64, 128, 256]]) {
    it(`bounds inference and adaptation from above, within 1.4× (widths ${widths.join('-')})`, async () => {
      const files = makeTinyModelFiles({ widths });
      const model: AttuneModel = decodeModel(files.manifest, [files.weights]);
      // The weights exist before the measurement starts: compare what comes on top of them.
      const weightBytes = files.weights.byteLength;
      try {
        const [, h, w] = pre.shape;
        const crop = { height: h, width: w };
        const checks: [string, number, number][] = [];
        for (const n of [1, 3]) {
          const measured = await measuredPeak(async () => void (await segmentCase(model.weights, model.arch, pre, { batchSize: n })));
          checks.push([`segment ×${n}`, measured, estimateRun(model.arch, crop, weightBytes, n, 1, 'none').segmentBytes - weightBytes]);
        }
        const modes: AdaptSettings['mode'][] = widths[0] === 4 ? ['bn', 'normalizer', 'tent', 'adabn'] : ['bn', 'normalizer'];
        for (const mode of modes) {
          const measured = await measuredPeak(async () => {
            const a = await adaptCase(model, pre, { ...DEFAULT_SETTINGS[mode], iterations: 1, statsSlices: 3 });
            a.owned.forEach((t) => t.dispose());
          });
          checks.push([mode, measured, estimateRun(model.arch, crop, weightBytes, 1, 3, mode).adaptBytes - weightBytes]);
        }
        for (const [what, measured, estimate] of checks) {
          expect(measured, what).toBeGreaterThan(0.5 * MiB);
          expect(estimate, `${what}: estimate ≥ measured peak`).toBeGreaterThanOrEqual(measured);
          expect(estimate, `${what}: estimate within 1.4× of the measured peak`).toBeLessThan(1.4 * measured);
        }
      } finally {
        Object.values(model.weights).forEach((t) => t.dispose());
      }
    }, 180_000);
  }
});

describe('planRun', () => {
  const arch = { widths: [16, 32, 64, 128, 256], modalities: ['t1', 't1ce', 't2', 'flair'], classes: ['bg', 'NCR', 'ED', 'ET'] };
  const brats = { height: 192, width: 144 };
  const weights = 8 * MiB;
  const requested = { batchSize: 8, settings: [DEFAULT_SETTINGS.normalizer, DEFAULT_SETTINGS.bn] };
  const limits = (budgetBytes: number, maxBufferBytes = budgetBytes): MemoryLimits => ({ budgetBytes, maxBufferBytes, source: 'the test device' });

  it('a BraTS-sized default run on wasm: every statistics slice kept, adaptation in passes under 1 GiB, nothing to tell', () => {
    const plan = planRun(arch, brats, weights, requested, limitsFor('wasm'));
    expect(plan.batchSize).toBe(8);
    expect(plan.settings).toEqual(requested.settings);
    expect(plan.notices).toEqual([]);
    expect(plan.refusal).toBeNull();
    const [pn, pb] = plan.adaptBatchSizes;
    for (const [mode, p] of [['normalizer', pn], ['bn', pb]] as const) {
      expect(p, mode).toBeGreaterThanOrEqual(1);
      expect(p, mode).toBeLessThan(8);
      expect(estimateRun(arch, brats, weights, 8, p, mode).adaptBytes).toBeLessThanOrEqual(ADAPT_TARGET_BYTES);
      expect(estimateRun(arch, brats, weights, 8, p + 1, mode).adaptBytes).toBeGreaterThan(ADAPT_TARGET_BYTES);
    }
  });

  it('on a big GPU (large maxBufferSize) all 8 slices go in one pass', () => {
    const h200 = limitsFor('webgpu', { maxStorageBufferBindingSize: 2 ** 31 - 4, maxBufferSize: 2 ** 40 });
    expect(planRun(arch, brats, weights, { batchSize: 8, settings: [DEFAULT_SETTINGS.bn] }, h200).adaptBatchSizes).toEqual([8]);
    const laptop = limitsFor('webgpu', { maxStorageBufferBindingSize: 2 ** 31 - 4, maxBufferSize: 2 ** 31 });
    expect(planRun(arch, brats, weights, { batchSize: 8, settings: [DEFAULT_SETTINGS.bn] }, laptop).adaptBatchSizes[0]).toBeLessThan(8);
  });

  it('first segments fewer slices at a time (same masks), saying so', () => {
    const seg4 = estimateRun(arch, brats, weights, 4, 1, 'none').segmentBytes;
    const plan = planRun(arch, brats, weights, { batchSize: 8, settings: [] }, limits(seg4 + MiB));
    expect(plan.batchSize).toBe(4);
    expect(plan.refusal).toBeNull();
    expect(plan.notices).toEqual(["Segmenting 4 slices at a time instead of 8 to stay within the memory of the test device (the masks are the same, only slower)."]);
  });

  it('then adapts in smaller passes (all statistics slices kept); AdaBN, which needs one pass, gets fewer slices with a notice', () => {
    const budget = estimateRun(arch, brats, weights, 1, 4, 'adabn').adaptBytes + MiB;
    const plan = planRun(arch, brats, weights, { batchSize: 1, settings: [...requested.settings, DEFAULT_SETTINGS.adabn] }, limits(budget));
    expect(plan.refusal).toBeNull();
    const [normalizer, bn, adabn] = plan.settings;
    expect(normalizer).toEqual(DEFAULT_SETTINGS.normalizer);
    expect(bn).toEqual(DEFAULT_SETTINGS.bn);
    const most = (mode: 'bn' | 'normalizer') => [8, 7, 6, 5, 4, 3, 2, 1].find((p) => estimateRun(arch, brats, weights, 1, p, mode).adaptBytes <= budget);
    expect(plan.adaptBatchSizes.slice(0, 2)).toEqual([most('normalizer'), most('bn')]);
    expect(plan.adaptBatchSizes[0]).toBeLessThan(8);
    expect(plan.adaptBatchSizes[0]).toBeLessThanOrEqual(plan.adaptBatchSizes[1]); // normalizer steps need more memory per slice
    expect(adabn.statsSlices).toBe(4);
    expect(plan.adaptBatchSizes[2]).toBe(4);
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toMatch(/^adabn: statistics slices reduced from 8 to 4 to fit the memory of the test device \(8 would need ~\d+(\.\d)? (GiB|MiB) of \d+(\.\d)? (GiB|MiB)\)\. The adaptation measures fewer slices/);
  });

  it('refuses with a message when even one slice does not fit, and names the buffer limit', () => {
    const tooSmall = planRun(arch, brats, weights, requested, limits(64 * MiB));
    expect(tooSmall.refusal).toMatch(/^Not enough memory for this scan: segmenting even one 144×192 slice at a time needs ~\d+ MiB, more than the 64 MiB the test device offers\. Nothing was run\./);
    const gpu = planRun(arch, brats, weights, requested, limitsFor('webgpu', { maxStorageBufferBindingSize: 2 * MiB, maxBufferSize: 256 * MiB }));
    expect(gpu.refusal).toMatch(/one buffer of \d+ MiB, more than the 2 MiB the WebGPU adapter allows.*\?backend=wasm/);
  });

  it('takes a WebGPU buffer limit into account for big crops and batches', () => {
    const gpu = limitsFor('webgpu', { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB });
    expect(gpu.maxBufferBytes).toBe(128 * MiB);
    const huge = { height: 512, width: 512 };
    const plan = planRun(arch, huge, weights, { batchSize: 16, settings: [] }, gpu);
    const largest = (b: number) => estimateRun(arch, huge, weights, b, 1, 'none').segmentLargestBytes;
    expect(largest(16)).toBeGreaterThan(128 * MiB);
    expect(largest(plan.batchSize)).toBeLessThanOrEqual(128 * MiB);
    expect(plan.batchSize).toBeLessThan(16);
  });
});
