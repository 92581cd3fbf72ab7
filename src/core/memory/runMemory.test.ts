import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCase } from '../case/index.ts';
import { decodeModel, segmentCase, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { adaptCase, DEFAULT_SETTINGS, type AdaptSettings } from '../tta/index.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { estimateRun, limitsFor, planRun, WASM_BUDGET_BYTES, type MemoryLimits } from './runMemory.ts';

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

  it('leaves a BraTS-sized default run alone within wasm’s heap (and it would not fit in 3 GiB)', () => {
    const plan = planRun(arch, brats, weights, requested, limitsFor('wasm'));
    expect(plan).toEqual({ batchSize: 8, settings: requested.settings, notices: [], refusal: null });
    const normalizer = estimateRun(arch, brats, weights, 8, 8, 'normalizer').adaptBytes;
    expect(normalizer).toBeLessThanOrEqual(WASM_BUDGET_BYTES);
    // BENCHMARKS.md measured 3735 MiB for this run in Chromium: the estimate covers it.
    expect(normalizer).toBeGreaterThan(3735 * MiB);
  });

  it('first segments fewer slices at a time (same masks), saying so', () => {
    const seg4 = estimateRun(arch, brats, weights, 4, 1, 'none').segmentBytes;
    const plan = planRun(arch, brats, weights, { batchSize: 8, settings: [] }, limits(seg4 + MiB));
    expect(plan.batchSize).toBe(4);
    expect(plan.refusal).toBeNull();
    expect(plan.notices).toEqual(["Segmenting 4 slices at a time instead of 8 to stay within the memory of the test device (the masks are the same, only slower)."]);
  });

  it('then measures fewer statistics slices, per mode, saying from how many to how many', () => {
    const bn5 = estimateRun(arch, brats, weights, 1, 5, 'bn').adaptBytes;
    const plan = planRun(arch, brats, weights, requested, limits(bn5 + MiB));
    expect(plan.refusal).toBeNull();
    const [normalizer, bn] = plan.settings;
    expect(bn.statsSlices).toBe(5);
    expect(normalizer.statsSlices).toBeLessThan(5); // normalizer steps need more memory per slice
    expect(normalizer.statsSlices).toBeGreaterThanOrEqual(1);
    expect({ ...bn, statsSlices: 8 }).toEqual(DEFAULT_SETTINGS.bn); // nothing else changed
    expect(plan.notices.find((n) => n.startsWith('bn:'))).toMatch(/^bn: statistics slices reduced from 8 to 5 to fit the memory of the test device \(8 would need ~\d+(\.\d)? GiB of \d+(\.\d)? GiB\)\. The adaptation measures fewer slices/);
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
