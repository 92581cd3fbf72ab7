import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/decision/index.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { craftedCalibration } from '../../core/signals/testing/craftedCalibration.ts';
import { makeTinyModelFiles } from '../../core/model/testing/tinyModel.ts';
import { DEFAULT_SETTINGS } from '../../core/tta/index.ts';
import { applyPolicy, fitPolicy, leaveOneScanOut } from './fitPolicy.ts';
import { evaluationScans, shardScans } from './plan.ts';
import { EVALUATION_RUNS, evaluationBlockOf, loadEvaluationRecords, renderEvaluation } from './render.ts';
import type { Dice, EvaluationRecord } from './types.ts';

const dice = (d: number): Dice => ({ NCR: d, ED: d, ET: d, ET_region: d, TC: d, WT: d });
const evidence = (tumourEntropy: number) => ({ tumourEntropy, brainEntropy: 0.01, tumourVoxels: 1000, flipDisagreement: 0.01, featureKl: 0.01, featureZ: 1 });

/** A scan whose baseline Dice is `base`, tent gives `tent`; the entropy signal is `entropy`. */
function record(source: string, entropy: number, base: number, tent: number, tentEntropy = entropy / 2): EvaluationRecord {
  return {
    case: source, source, group: 'in-domain validation', preset: null, severity: 0, modelChecksum: 'x', date: '2026-12-02', machine: 'test',
    baseline: { dice: dice(base), evidence: evidence(entropy), seconds: 10 },
    variants: {
      tent: { settings: DEFAULT_SETTINGS.tent, dice: dice(tent), evidence: { tumourEntropy: tentEntropy, brainEntropy: 0.01, tumourVoxels: 1000, volumeChange: 0.1, lossDrop: 0.2 }, chosenIteration: 5, lossCurve: [1, 0.5], seconds: { adaptation: 20, segmentation: 10 } },
    },
  };
}

describe('fitting the auto rule', () => {
  const calibration: Calibration = craftedCalibration(makeTinyModelFiles(), 0.1); // training max 0.1 for every signal
  // Low entropy: adaptation hurts; high entropy: it helps.
  const records = [record('a', 0.05, 0.9, 0.85), record('b', 0.08, 0.85, 0.8), record('c', 0.3, 0.5, 0.7), record('d', 0.4, 0.4, 0.65)];

  it('fits the threshold that adapts exactly where adapting helped', () => {
    const p = fitPolicy(calibration, records, DEFAULT_POLICY);
    expect(records.map((r) => applyPolicy(calibration, p, r).kept)).toEqual(['baseline', 'baseline', 'adapted', 'adapted']);
  });

  it('leave-one-scan-out decides each scan with a rule fitted without it', () => {
    const loo = leaveOneScanOut(calibration, records, DEFAULT_POLICY);
    expect([...loo.keys()]).toEqual(['a', 'b', 'c', 'd']);
    // Without 'c' the fitted threshold still separates 0.08 from 0.4, so 0.3 is adapted too.
    expect(loo.get('c')!.outcome.kept).toBe('adapted');
    expect(loo.get('a')!.outcome.kept).toBe('baseline');
  });

  it('a rejected adaptation scores the baseline', () => {
    const drift = record('e', 0.5, 0.5, 0.9);
    drift.variants.tent.evidence.volumeChange = 5;
    const p = { ...DEFAULT_POLICY, signal: 'tumourEntropy' as const, adaptAboveRatio: 1, variant: 'tent' };
    expect(applyPolicy(calibration, p, drift)).toMatchObject({ kept: 'baseline', dice: 0.5 });
  });
});

describe('the shipped auto rule', () => {
  // defaultPolicy.ts says it is the rule `attune report --part evaluation` fits on the committed
  // records: a refit that picks another rule (new records, a new model, a changed candidate
  // grid or guard) fails here until the shipped rule is updated with it.
  it('DEFAULT_POLICY is what fitPolicy returns on bench/runs/evaluation and the model\'s calibration', async () => {
    const { records, missing } = await loadEvaluationRecords(EVALUATION_RUNS);
    expect(missing).toEqual([]);
    const calibration = JSON.parse(readFileSync('models/attune-brats-inst18/calibration.json', 'utf8')) as Calibration;
    expect(records.every((r) => r.modelChecksum === calibration.modelChecksum), 'records and calibration are of the same model').toBe(true);
    expect(fitPolicy(calibration, records, DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });
});

describe('the evaluation plan', () => {
  it('six held-out real scans and their shifted copies; shards cover it once', () => {
    const scans = evaluationScans();
    expect(scans.filter((s) => s.preset === null).map((s) => s.case)).toEqual(['BraTS2021_00024', 'BraTS2021_00031', 'BraTS2021_00324', 'BraTS2021_00389', 'BraTS2021_01426', 'BraTS2021_01531']);
    const shards = [0, 1, 2].map((i) => shardScans(scans, i, 3).map((s) => s.case));
    expect(shards.flat().sort()).toEqual(scans.map((s) => s.case).sort());
  });
});

/**
 * CI's check that BENCHMARKS.md's evaluation block is what the committed run records render
 * to, byte for byte (and the figures with it): a changed policy, signal or section that was
 * not re-rendered fails here, in seconds, instead of needing the 2-hour rerun.
 */
describe('BENCHMARKS.md evaluation block', () => {
  it('rebuilds byte for byte from bench/runs/evaluation alone', async () => {
    expect(existsSync(EVALUATION_RUNS), `${EVALUATION_RUNS} is committed`).toBe(true);
    const { markdown, figures } = await renderEvaluation(EVALUATION_RUNS, 'models/attune-brats-inst18/calibration.json', 'bench/figures');
    expect(evaluationBlockOf(readFileSync('BENCHMARKS.md', 'utf8'))).toBe(markdown.trimEnd());
    for (const f of figures) expect(readFileSync(f.file, 'utf8'), f.file).toBe(f.svg);
  });
});
