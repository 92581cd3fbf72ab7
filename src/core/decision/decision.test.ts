import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { loadCase } from '../case/index.ts';
import { decodeModel, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import type { AdaptedEvidence, BaselineEvidence, Calibration } from '../signals/index.ts';
import { craftedCalibration } from '../signals/testing/craftedCalibration.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { DEFAULT_SETTINGS, registerWasmConv2dBackpropFilter } from '../tta/index.ts';
import {
  autoAdapt, chooseCandidate, decideFromEvidence, decideToAdapt, isNoTumour, readBaselineSignal, readSignal, SELECTION_RULES,
  type AutoPolicy, type SignalReading,
} from './index.ts';
import { makeNoTumourModelFiles } from '../model/testing/noTumourModel.ts';

const quick = { iterations: 3, statsSlices: 4 };
const policy: AutoPolicy = {
  signal: 'tumourEntropy',
  adaptAboveRatio: 1.2,
  candidates: [
    { variant: 'tent', settings: { ...DEFAULT_SETTINGS.tent, ...quick } },
    { variant: 'bn-brain', settings: { ...DEFAULT_SETTINGS.bn, ...quick, layers: 'shallow', pixels: 'brain' } },
  ],
  selection: 'entropyDrop',
  minImprovement: 0,
  maxVolumeChange: 0.5,
};
const reading = (ratio: number): SignalReading => ({ signal: 'tumourEntropy', value: ratio * 0.1, percentile: ratio > 1 ? 100 : 50, trainingMax: 0.1, ratio, reference: 'training', referenceScans: 10 });
const base: BaselineEvidence = { tumourEntropy: 0.3, brainEntropy: 0.05, tumourVoxels: 100, flipDisagreement: 0.1 };
const adapted = (over: Partial<AdaptedEvidence>): AdaptedEvidence => ({ tumourEntropy: 0.2, brainEntropy: 0.04, tumourVoxels: 110, volumeChange: 0.1, lossDrop: 0.2, flipDisagreement: 0.08, ...over });

describe('the decision, step by step', () => {
  it('adapts only above the threshold, and says so with the numbers and the candidates', () => {
    expect(decideToAdapt(reading(1.2), policy).adapt).toBe(false); // at the threshold: not above it
    const yes = decideToAdapt(reading(1.5), policy);
    expect(yes.adapt).toBe(true);
    expect(yes.reason).toMatch(/may be unreliable.*1\.5× the highest training scan's, percentile 100\) is above the rule's threshold of 1\.2×.*adapted with TENT and BN adaptation \(bn-brain\)$/);
    expect(decideToAdapt(reading(0.5), policy).reason).toMatch(/kept without adapting.*percentile 50\) is not above the rule's threshold of 1\.2×/);
    expect(decideToAdapt({ ...reading(0.5), reference: 'held-out', referenceScans: 3 }, policy).reason).toMatch(/0\.50× the highest held-out scan's/);
  });

  it('a rule without a gate adapts every scan that has a tumour, however it reads', () => {
    const every = { ...policy, adaptAboveRatio: 0 };
    expect(decideToAdapt(reading(0.01), every)).toMatchObject({ adapt: true, reason: expect.stringMatching(/^the rule adapts every scan with a tumour .*: it adapted with TENT and/) });
  });

  it('keeps the candidate the evidence favours most, or the baseline when none qualifies', () => {
    const a = { variant: 'tent', evidence: adapted({ tumourEntropy: 0.25 }) }; // fell 17 %
    const b = { variant: 'bn-brain', evidence: adapted({ tumourEntropy: 0.15 }) }; // fell 50 %
    const best = chooseCandidate(base, [a, b], policy);
    expect(best.kept).toBe('bn-brain');
    expect(best.verdicts.map((v) => [v.variant, v.kept, v.qualified])).toEqual([['tent', false, true], ['bn-brain', true, true]]);
    expect(best.verdicts[0].reason).toMatch(/^tent: tumour volume changed 10 %, entropy inside the tumour 0\.300 → 0\.250 \(fell 17 %\) — not kept: bn-brain scored higher$/);
    expect(best.reason).toMatch(/^kept bn-brain's mask/);
    // The same two under a threshold only the better one reaches, then one neither reaches.
    expect(chooseCandidate(base, [a, b], { ...policy, minImprovement: 0.3 }).kept).toBe('bn-brain');
    const none = chooseCandidate(base, [a, b], { ...policy, minImprovement: 0.6 });
    expect(none.kept).toBeNull();
    expect(none.reason).toMatch(/^kept the baseline: no candidate was convincingly better .*short of the rule's 60 %/);
    // Equal scores: the earlier candidate.
    expect(chooseCandidate(base, [{ ...b, variant: 'first' }, b], policy).kept).toBe('first');
  });

  it('a candidate must pass the drift guard, keep a tumour, and improve: otherwise it is not kept whatever its score', () => {
    const judged = (e: Partial<AdaptedEvidence>, p: AutoPolicy = policy) => chooseCandidate(base, [{ variant: 'tent', evidence: adapted(e) }], p).verdicts[0];
    expect(judged({ volumeChange: 0.8, tumourEntropy: 0.01 })).toMatchObject({ qualified: false, score: null, reason: expect.stringMatching(/changed 80 % \(more than 50 % looks like drift/) });
    expect(judged({ volumeChange: Infinity })).toMatchObject({ qualified: false, reason: expect.stringMatching(/appeared from nothing/) });
    expect(judged({ tumourVoxels: 0, volumeChange: 0.3 })).toMatchObject({ qualified: false, reason: expect.stringMatching(/no tumour left/) });
    expect(judged({ tumourEntropy: 0.35 })).toMatchObject({ qualified: false, reason: expect.stringMatching(/0\.300 → 0\.350 \(rose 17 %/) });
    expect(judged({ tumourEntropy: 0.3 })).toMatchObject({ qualified: false }); // no change is no evidence
    expect(judged({ volumeChange: 0.8 }, { ...policy, maxVolumeChange: 1 })).toMatchObject({ qualified: true, kept: true });
  });

  it('each selection rule scores what it names', () => {
    const e = adapted({ tumourEntropy: 0.15, flipDisagreement: 0.09 });
    expect(SELECTION_RULES.entropyDrop.score(base, e)).toMatchObject({ score: 0.5 });
    expect((SELECTION_RULES.flipDrop.score(base, e) as { score: number }).score).toBeCloseTo(0.1, 10);
    expect((SELECTION_RULES.entropyAndFlip.score(base, e) as { score: number }).score).toBeCloseTo(0.1, 10);
    expect(SELECTION_RULES.flipDrop.score(base, adapted({ flipDisagreement: undefined }))).toEqual({ unscored: 'its flip disagreement was not measured' });
    expect(SELECTION_RULES.flipDrop.score({ ...base, flipDisagreement: null }, e)).toMatchObject({ unscored: expect.stringMatching(/baseline has no tumour on the flip/) });
    expect(SELECTION_RULES.entropyAndFlip.score(base, adapted({ flipDisagreement: null }))).toMatchObject({ unscored: expect.stringMatching(/adapted model predicts no tumour on the flip/) });
    // The flip rule disagrees with the entropy rule where the flip rose.
    const flipRose = adapted({ tumourEntropy: 0.1, flipDisagreement: 0.2 });
    expect(chooseCandidate(base, [{ variant: 'tent', evidence: flipRose }], policy).kept).toBe('tent');
    expect(chooseCandidate(base, [{ variant: 'tent', evidence: flipRose }], { ...policy, selection: 'flipDrop' }).kept).toBeNull();
  });
});

describe('the reference a reading compares against', () => {
  const files = makeTinyModelFiles();
  const trained = craftedCalibration(files, 0.1);
  const withHeldOut = (values: number[]): Calibration => ({
    ...trained,
    scans: [...trained.scans, ...values.map((v, i) => ({ ...trained.scans[0], name: `held-${i}`, trained: false, outputs: { ...trained.scans[0].outputs, tumourEntropy: v } }))],
  });
  const evidence = { ...base, tumourEntropy: 0.2 };

  it('reads against the held-out scans when there are at least two, leaving out the scan itself', () => {
    expect(readSignal('tumourEntropy', evidence, trained)).toMatchObject({ reference: 'training', referenceScans: 3, trainingMax: 0.1, ratio: 2 });
    const c = withHeldOut([0.3, 0.4, 0.5]);
    expect(readSignal('tumourEntropy', evidence, c)).toMatchObject({ reference: 'held-out', referenceScans: 3, trainingMax: 0.5, ratio: 0.4 });
    expect(readSignal('tumourEntropy', evidence, c, { exclude: ['held-2'] })).toMatchObject({ reference: 'held-out', referenceScans: 2, trainingMax: 0.4 });
    // One held-out scan left is no reference: back to the training scans.
    expect(readSignal('tumourEntropy', evidence, withHeldOut([0.3, 0.4]), { exclude: ['held-0'] })).toMatchObject({ reference: 'training', trainingMax: 0.1 });
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

  it('chooseCandidate on an empty baseline: nothing from nothing, and a tumour from nothing is drift', () => {
    const nothing = chooseCandidate(empty, [{ variant: 'tent', evidence: adapted({ tumourVoxels: 0, volumeChange: 0, tumourEntropy: 0 }) }], policy);
    expect(nothing).toMatchObject({ kept: null, verdicts: [{ reason: 'tent: neither the baseline nor the adapted model predicts any tumour in this scan — not kept' }] });
    const conjured = chooseCandidate(empty, [{ variant: 'tent', evidence: adapted({ tumourVoxels: 30, volumeChange: Infinity }) }], { ...policy, maxVolumeChange: 1e9 });
    expect(conjured).toMatchObject({ kept: null, verdicts: [{ reason: expect.stringMatching(/appeared from nothing/) }] });
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

  it('never keeps a mask it rejected: an impossible drift bound adapts with every candidate, then shows the baseline', async () => {
    const n0 = tf.memory().numTensors;
    const strict = { ...policy, maxVolumeChange: -1 };
    const calibration = craftedCalibration(files, 1e-6);
    const r = await autoAdapt(model, pre, calibration, strict, options);
    expect(r.decision).toMatchObject({ kept: 'baseline', adaptedWith: null });
    expect(r.decision.candidates.map((c) => [c.variant, c.kept])).toEqual([['tent', false], ['bn-brain', false]]);
    expect(r.decision.reason).toMatch(/may be unreliable.*kept the baseline: no candidate was convincingly better/);
    expect(r.adaptedSegmentation).toBeUndefined();
    expect(r.adaptation).toBeUndefined(); // no "kept iteration" for a mask that is not shown
    expect(r.segmentation).toBe(r.baselineSegmentation);
    expect(r.candidateRuns.map((c) => [c.variant, c.adaptation.lossCurve.length])).toEqual([['tent', 4], ['bn-brain', 4]]);
    for (const c of r.decision.candidates) expect(c.evidence.flipDisagreement === null || Number.isFinite(c.evidence.flipDisagreement)).toBe(true);
    // The same decision from the same evidence (what the report replays).
    const byVariant = (v: string) => r.decision.candidates.find((c) => c.variant === v)?.evidence;
    expect(decideFromEvidence(calibration, strict, r.decision.baseline, byVariant)).toMatchObject({ kept: 'baseline', reason: r.decision.reason });
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

  it('keeps the best candidate when one passes the checks, and its own mask and adaptation', async () => {
    const calibration = craftedCalibration(files, 1e-6);
    const lenient = { ...policy, maxVolumeChange: Infinity, minImprovement: -Infinity };
    const r = await autoAdapt(model, pre, calibration, lenient, options);
    // With every candidate qualified, the higher entropy fall wins (ties: the first).
    const [t, b] = r.decision.candidates;
    const fall = (e: AdaptedEvidence) => (r.decision.baseline.tumourEntropy - e.tumourEntropy) / r.decision.baseline.tumourEntropy;
    const expected = fall(b.evidence) > fall(t.evidence) ? 'bn-brain' : 'tent';
    expect(r.decision).toMatchObject({ kept: 'adapted', adaptedWith: expected });
    expect(r.segmentation).toBe(r.adaptedSegmentation);
    expect(r.adaptation).toEqual(r.candidateRuns.find((c) => c.variant === expected)!.adaptation);
    expect(r.decision.reason).toMatch(new RegExp(`kept ${expected}'s mask`));
  });
});
