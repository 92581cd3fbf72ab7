import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { loadCase } from '../case/index.ts';
import { decodeModel, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import type { AdaptedEvidence, BaselineEvidence } from '../signals/index.ts';
import { craftedCalibration } from '../signals/testing/craftedCalibration.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { DEFAULT_SETTINGS, registerWasmConv2dBackpropFilter } from '../tta/index.ts';
import { autoAdapt, decideFromEvidence, decideToAdapt, isNoTumour, keepOrFallBack, readBaselineSignal, readSignal, type AutoPolicy, type SignalReading } from './index.ts';
import { makeNoTumourModelFiles } from '../model/testing/noTumourModel.ts';

const policy: AutoPolicy = { signal: 'tumourEntropy', adaptAboveRatio: 1.2, variant: 'tent', settings: { ...DEFAULT_SETTINGS.tent, iterations: 3, statsSlices: 4 }, maxVolumeChange: 0.5, requireEntropyDrop: true };
const reading = (ratio: number): SignalReading => ({ signal: 'tumourEntropy', value: ratio * 0.1, percentile: ratio > 1 ? 100 : 50, trainingMax: 0.1, ratio });
const base: BaselineEvidence = { tumourEntropy: 0.3, brainEntropy: 0.05, tumourVoxels: 100, flipDisagreement: 0.1 };
const adapted = (over: Partial<AdaptedEvidence>): AdaptedEvidence => ({ tumourEntropy: 0.2, brainEntropy: 0.04, tumourVoxels: 110, volumeChange: 0.1, lossDrop: 0.2, ...over });

describe('the decision, step by step', () => {
  it('adapts only above the threshold, and says so with the numbers', () => {
    expect(decideToAdapt(reading(1.2), policy).adapt).toBe(false); // at the threshold: not above it
    const yes = decideToAdapt(reading(1.5), policy);
    expect(yes.adapt).toBe(true);
    expect(yes.reason).toMatch(/may be unreliable.*1\.5× the highest training scan's, percentile 100\) is above the rule's threshold of 1\.2×.*adapted with TENT/);
    expect(decideToAdapt(reading(0.5), policy).reason).toMatch(/kept without adapting.*percentile 50\) is not above the rule's threshold of 1\.2×/);
  });

  it('falls back when the adapted mask drifted, vanished or did not become more confident', () => {
    expect(keepOrFallBack(base, adapted({}), policy)).toMatchObject({ keep: true });
    expect(keepOrFallBack(base, adapted({ volumeChange: 0.8 }), policy)).toMatchObject({ keep: false, reason: expect.stringMatching(/changed 80 %/) });
    expect(keepOrFallBack(base, adapted({ volumeChange: Infinity }), policy)).toMatchObject({ keep: false, reason: expect.stringMatching(/appeared from nothing/) });
    expect(keepOrFallBack(base, adapted({ tumourVoxels: 0, volumeChange: 0.3 }), policy)).toMatchObject({ keep: false, reason: expect.stringMatching(/no tumour left/) });
    expect(keepOrFallBack(base, adapted({ tumourEntropy: 0.35 }), policy)).toMatchObject({ keep: false, reason: expect.stringMatching(/not more confident/) });
    expect(keepOrFallBack(base, adapted({ tumourEntropy: 0.35 }), { ...policy, requireEntropyDrop: false })).toMatchObject({ keep: true });
  });
});

describe('no tumour predicted: an answer, not an error', () => {
  const files = makeTinyModelFiles();
  const calibration = craftedCalibration(files, 1e-6); // any measured tumour signal would read far beyond
  const empty: BaselineEvidence = { tumourEntropy: 0, brainEntropy: 0.05, tumourVoxels: 0, flipDisagreement: null, featureKl: 0.3, featureZ: 2 };

  it('a tumour signal reads "no tumour", never a value; feature signals read as usual', () => {
    for (const signal of ['flipDisagreement', 'tumourEntropy'] as const) {
      const r = readBaselineSignal(signal, empty, calibration);
      expect(isNoTumour(r)).toBe(true);
      expect(r).toMatchObject({ signal, noTumour: 'scan', reason: expect.stringMatching(/^the model predicts no tumour in this scan, so the .* has nothing to measure$/) });
      expect(r).not.toHaveProperty('value');
      expect(() => readSignal(signal, empty, calibration)).toThrow(/model predicts no tumour in this scan/);
    }
    expect(readBaselineSignal('featureZ', empty, calibration)).toMatchObject({ signal: 'featureZ', value: 2, percentile: 100 });
  });

  it('a tumour the flip slices missed: "no tumour on the slices it reads"', () => {
    const r = readBaselineSignal('flipDisagreement', { ...empty, tumourVoxels: 40, tumourEntropy: 0.2 }, calibration);
    expect(r).toMatchObject({ noTumour: 'flipSlices', reason: expect.stringMatching(/none of the 16 slices of the flip check holds predicted tumour/) });
    expect(readBaselineSignal('tumourEntropy', { ...empty, tumourVoxels: 40, tumourEntropy: 0.2 }, calibration)).toMatchObject({ value: 0.2 });
  });

  it('decideToAdapt keeps the baseline and says why', () => {
    const choice = decideToAdapt(readBaselineSignal('flipDisagreement', empty, calibration), { ...policy, adaptAboveRatio: 0 });
    expect(choice).toEqual({
      adapt: false,
      reason: 'baseline kept without adapting: the model predicts no tumour in this scan, so the left–right flip disagreement of the tumour has nothing to measure, and the rule adapts only when that signal says the baseline is unreliable',
    });
  });

  it('keepOrFallBack on an empty baseline: nothing from nothing, and a tumour from nothing is drift', () => {
    expect(keepOrFallBack(empty, adapted({ tumourVoxels: 0, volumeChange: 0, tumourEntropy: 0 }), policy)).toEqual({ keep: false, reason: 'kept the baseline: neither the baseline nor the adapted model predicts any tumour in this scan' });
    expect(keepOrFallBack(empty, adapted({ tumourVoxels: 30, volumeChange: Infinity }), { ...policy, requireEntropyDrop: false })).toMatchObject({ keep: false, reason: expect.stringMatching(/appeared from nothing/) });
  });

  it('decideFromEvidence keeps the baseline without asking for adapted evidence', () => {
    let asked = false;
    const d = decideFromEvidence(calibration, { ...policy, adaptAboveRatio: 0 }, empty, () => ((asked = true), undefined));
    expect(d).toMatchObject({ kept: 'baseline', adaptedWith: null, reading: { noTumour: 'scan' }, reason: expect.stringMatching(/^baseline kept without adapting: the model predicts no tumour/) });
    expect(asked).toBe(false);
  });
});

describe('autoAdapt end to end (tiny model, phantom)', () => {
  let model: AttuneModel;
  let pre: PreprocessedCase;
  const files = makeTinyModelFiles();
  beforeAll(async () => {
    await useNodeBackend('wasm');
    registerWasmConv2dBackpropFilter();
    model = decodeModel(files.manifest, [files.weights]);
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 6, dims: [40, 40, 12] }).files));
    pre = preprocess(check.mriCase!.modalities);
  });
  const options = { batchSize: 6, postprocess: false as const };

  it('without a calibration: the baseline, no adaptation, and the reason', async () => {
    const r = await autoAdapt(model, pre, null, policy, options);
    expect(r.decision).toMatchObject({ kept: 'baseline', adaptedWith: null, reading: null });
    expect(r.decision.reason).toMatch(/no calibration/);
    expect(r.segmentation).toBe(r.baselineSegmentation);
    expect(r.adaptation).toBeUndefined();
  });

  it('a scan within the training range: the baseline, without adapting', async () => {
    const r = await autoAdapt(model, pre, craftedCalibration(files, 1e6), policy, options);
    expect(r.decision.kept).toBe('baseline');
    expect(r.adaptedSegmentation).toBeUndefined();
    expect(r.decision.reading).toMatchObject({ percentile: 0 });
  });

  it('never keeps a mask it rejected: an impossible drift bound adapts, then shows the baseline', async () => {
    const n0 = tf.memory().numTensors;
    const strict = { ...policy, maxVolumeChange: -1 };
    const calibration = craftedCalibration(files, 1e-6);
    const r = await autoAdapt(model, pre, calibration, strict, options);
    expect(r.decision).toMatchObject({ kept: 'baseline', adaptedWith: 'tent' });
    expect(r.decision.reason).toMatch(/may be unreliable.*fell back to the baseline/);
    expect(r.adaptedSegmentation).toBeDefined();
    expect(r.segmentation).toBe(r.baselineSegmentation);
    expect(r.adaptation!.lossCurve).toHaveLength(4);
    // The same decision from the same evidence (what the report replays).
    expect(decideFromEvidence(calibration, strict, r.decision.baseline, () => r.decision.adapted)).toMatchObject({ kept: 'baseline', reason: r.decision.reason });
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('a model that predicts no tumour: the run succeeds, the baseline is kept without adapting, and the reason says why', async () => {
    const noTumour = makeNoTumourModelFiles();
    const empty = decodeModel(noTumour.manifest, [noTumour.weights]);
    // Training values so small that any measured flip disagreement would be far beyond them.
    const r = await autoAdapt(empty, pre, craftedCalibration(noTumour, 1e-6), { ...policy, signal: 'flipDisagreement', adaptAboveRatio: 0 }, options);
    expect(r.decision).toMatchObject({ kept: 'baseline', adaptedWith: null, reading: { signal: 'flipDisagreement', noTumour: 'scan' } });
    expect(r.decision.reason).toMatch(/^baseline kept without adapting: the model predicts no tumour in this scan/);
    expect(r.adaptedSegmentation).toBeUndefined();
    expect(r.segmentation.labels.every((v) => v === 0)).toBe(true);
    Object.values(empty.weights).forEach((t) => t.dispose());
  });

  it('keeps the adapted mask when it passes the checks', async () => {
    const lenient = { ...policy, maxVolumeChange: Infinity, requireEntropyDrop: false };
    const r = await autoAdapt(model, pre, craftedCalibration(files, 1e-6), lenient, options);
    expect(r.decision.kept).toBe('adapted');
    expect(r.segmentation).toBe(r.adaptedSegmentation);
    expect(r.decision.reason).toMatch(/kept because/);
  });
});
