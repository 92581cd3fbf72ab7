import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/decision/index.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { craftedCalibration } from '../../core/signals/testing/craftedCalibration.ts';
import { makeTinyModelFiles } from '../../core/model/testing/tinyModel.ts';
import { DEFAULT_SETTINGS } from '../../core/tta/index.ts';
import { applyPolicy, fitPolicy, leaveOneScanOut } from './fitPolicy.ts';
import { AUTO_CANDIDATES, HURTING_PRESETS, evaluationScans, shardScans, variantsFor } from './plan.ts';
import { evaluationComplete, variantsToRun } from './runEvaluation.ts';
import { EVALUATION_RUNS, evaluationBlockOf, loadEvaluationRecords, renderEvaluation } from './render.ts';
import type { Dice, EvaluationRecord } from './types.ts';

const dice = (d: number): Dice => ({ NCR: d, ED: d, ET: d, ET_region: d, TC: d, WT: d });
const evidence = (tumourEntropy: number, flipDisagreement = 0.05) => ({ tumourEntropy, brainEntropy: 0.01, tumourVoxels: 1000, flipDisagreement, featureKl: 0.01, featureZ: 1 });
const BN_BRAIN = { ...DEFAULT_SETTINGS.bn, layers: 'shallow' as const, pixels: 'brain' as const };

interface Outcome { dice: number; entropy: number; flip?: number; volume?: number }
/** A scan whose baseline Dice is `base`, each candidate's outcome and after-evidence as given; the entropy signal is `entropy`. */
function record(source: string, entropy: number, base: number, tent: Outcome, bnBrain: Outcome): EvaluationRecord {
  const variant = (settings: typeof DEFAULT_SETTINGS.tent, o: Outcome) => ({
    settings, dice: dice(o.dice), chosenIteration: 5, lossCurve: [1, 0.5], seconds: { adaptation: 20, segmentation: 10 },
    evidence: { tumourEntropy: o.entropy, brainEntropy: 0.01, tumourVoxels: 1000, volumeChange: o.volume ?? 0.1, lossDrop: 0.2, flipDisagreement: o.flip ?? 0.05 },
  });
  return {
    case: source, source, folder: source, group: 'in-domain validation', preset: null, severity: 0, modelChecksum: 'x', date: '2026-12-02', machine: 'test',
    baseline: { dice: dice(base), evidence: evidence(entropy), seconds: 10 },
    variants: { tent: variant(DEFAULT_SETTINGS.tent, tent), 'bn-brain': variant(BN_BRAIN, bnBrain) },
  };
}

describe('fitting the auto rule', () => {
  const calibration: Calibration = craftedCalibration(makeTinyModelFiles(), 0.1); // training max 0.1 for every signal
  // Low entropy: adapting hurts (and the entropy rises); high entropy: one candidate helps, and
  // its entropy falls more than the other's.
  const records = [
    record('a', 0.05, 0.9, { dice: 0.85, entropy: 0.06 }, { dice: 0.86, entropy: 0.055 }),
    record('b', 0.08, 0.85, { dice: 0.8, entropy: 0.09 }, { dice: 0.8, entropy: 0.085 }),
    record('c', 0.3, 0.5, { dice: 0.7, entropy: 0.1 }, { dice: 0.55, entropy: 0.25 }),
    record('d', 0.4, 0.4, { dice: 0.45, entropy: 0.35 }, { dice: 0.65, entropy: 0.15 }),
  ];

  it('fits a rule that keeps the better candidate where adapting helped and the baseline elsewhere', () => {
    const p = fitPolicy(calibration, records);
    expect(records.map((r) => applyPolicy(calibration, p, r).adaptedWith)).toEqual([null, null, 'tent', 'bn-brain']);
    expect(p.candidates.map((c) => c.variant)).toEqual(['tent', 'bn-brain']);
  });

  it('among equally good rules, the one that runs fewest adaptations: a gate that skips the in-domain scans', () => {
    const p = fitPolicy(calibration, records);
    const runs = records.map((r) => applyPolicy(calibration, p, r).candidatesRun);
    expect(runs).toEqual([0, 0, 2, 2]);
  });

  it('leave-one-scan-out decides each scan with a rule fitted without it', () => {
    const loo = leaveOneScanOut(calibration, records);
    expect([...loo.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(loo.get('a')!.outcome.adaptedWith).toBeNull();
    for (const [source, { policy }] of loo) {
      const refit = fitPolicy(calibration, records.filter((r) => r.source !== source));
      expect(policy).toEqual(refit);
    }
  });

  it('a candidate that drifted scores the baseline, however good its Dice', () => {
    const drift = record('e', 0.5, 0.5, { dice: 0.9, entropy: 0.1, volume: 5 }, { dice: 0.9, entropy: 0.1, volume: 5 });
    const p = { ...DEFAULT_POLICY, signal: 'tumourEntropy' as const, adaptAboveRatio: 1, maxVolumeChange: 1 };
    expect(applyPolicy(calibration, p, drift)).toMatchObject({ kept: 'baseline', dice: 0.5, candidatesRun: 2 });
  });

  it('a held-out calibration scan is read against the other held-out scans, not itself', () => {
    const held: Calibration = {
      ...calibration,
      scans: [...calibration.scans, ...[['a', 0.05], ['c', 0.3], ['d', 0.4]].map(([name, v]) => ({ ...calibration.scans[0], name: name as string, trained: false, outputs: { ...calibration.scans[0].outputs, tumourEntropy: v as number } }))],
    };
    const gate = { ...DEFAULT_POLICY, signal: 'tumourEntropy' as const, adaptAboveRatio: 0.9 };
    // 'd' (0.4) against a and c (highest 0.3): 1.33× → adapts; against itself it would read 1×.
    expect(applyPolicy(held, gate, records[3]).candidatesRun).toBe(2);
    // 'a' (0.05) against c and d: 0.125× → does not adapt.
    expect(applyPolicy(held, gate, records[0]).candidatesRun).toBe(0);
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
    expect(fitPolicy(calibration, records)).toEqual(DEFAULT_POLICY);
  });
});

describe('the evaluation plan', () => {
  it('ten real scans no model trained on, the copies of the in-domain ones under every preset that hurts; shards cover it once', () => {
    const scans = evaluationScans();
    expect(scans.filter((s) => s.preset === null).map((s) => s.case)).toEqual([
      'BraTS2021_00024', 'BraTS2021_00031', 'BraTS2021_00324', 'BraTS2021_00389', 'BraTS2021_01426', 'BraTS2021_01531',
      'BraTS2021_00060', 'BraTS2021_01427', 'BraTS2021_01429', 'UPENN-GBM-00003_11',
    ]);
    const copies = scans.filter((s) => s.preset !== null);
    expect(copies).toHaveLength(2 + 3 * 7);
    for (const source of ['BraTS2021_00024', 'BraTS2021_00031', 'BraTS2021_00060']) {
      expect(copies.filter((c) => c.source === source && c.severity === 4).map((c) => c.preset).sort()).toEqual([...HURTING_PRESETS].sort());
    }
    const shards = [0, 1, 2].map((i) => shardScans(scans, i, 3).map((s) => s.case));
    expect(shards.flat().sort()).toEqual(scans.map((s) => s.case).sort());
  });

  it("the scans added since issue 15 carry auto's candidates only; issue 15's keep every variant", () => {
    const byCase = new Map(evaluationScans().map((s) => [s.case, s]));
    expect(variantsFor(byCase.get('BraTS2021_01427')!).map((v) => v.name)).toEqual([...AUTO_CANDIDATES]);
    expect(variantsFor(byCase.get('BraTS2021_00060-gamma-s4')!).map((v) => v.name)).toEqual([...AUTO_CANDIDATES]);
    expect(variantsFor(byCase.get('BraTS2021_00324')!).map((v) => v.name)).toContain('normalizer');
  });

  it('a record is complete once every candidate carries its flip disagreement after adapting; older records rerun only those', () => {
    const scan = evaluationScans().find((s) => s.case === 'BraTS2021_00324')!;
    const planned = variantsFor(scan);
    const old = record('BraTS2021_00324', 0.1, 0.6, { dice: 0.6, entropy: 0.1 }, { dice: 0.6, entropy: 0.1 });
    old.variants = Object.fromEntries(planned.map((v) => [v.name, { ...old.variants.tent, evidence: { ...old.variants.tent.evidence, flipDisagreement: undefined } }]));
    expect(variantsToRun(scan, old, { checksum: 'x' }).map((v) => v.name)).toEqual([...AUTO_CANDIDATES]);
    expect(evaluationComplete(scan, old)).toBe(false);
    for (const c of AUTO_CANDIDATES) old.variants[c].evidence.flipDisagreement = 0.04;
    expect(evaluationComplete(scan, old)).toBe(true);
    // Another model's record is run again in full.
    expect(variantsToRun(scan, old, { checksum: 'other' })).toHaveLength(planned.length);
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
