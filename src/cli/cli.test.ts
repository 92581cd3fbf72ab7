import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { readNifti } from '../core/volume/index.ts';
import type { BenchmarkRecord } from './benchmarkTable.ts';
import { runCli } from './testing/runCli.ts';
import type { Calibration } from '../core/signals/index.ts';
import { DEFAULT_POLICY, isNoTumour } from '../core/decision/index.ts';
import { craftedCalibration } from '../core/signals/testing/craftedCalibration.ts';

const run = runCli;

describe('attune CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-cli-'));
  const modelDir = join(root, 'model');
  const cases = join(root, 'cases');
  const tiny = makeTinyModelFiles();

  beforeAll(() => {
    mkdirSync(modelDir);
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(tiny.manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(tiny.weights));
    for (const seed of [1, 2]) {
      const c = makeSyntheticCase({ seed, caseId: `Case${seed}` });
      mkdirSync(join(cases, c.caseId), { recursive: true });
      for (const f of Object.values(c.files)) writeFileSync(join(cases, c.caseId, f.name), f.bytes as Uint8Array);
    }
    mkdirSync(join(cases, 'Broken'));
    writeFileSync(join(cases, 'Broken', 'Broken_t1.nii.gz'), 'not a nifti');
  });

  it('benchmark prints the table and writes one JSON record per case × mode', async () => {
    const json = join(root, 'out.json');
    const r = await run(['benchmark', cases, '--modes', 'none,bn,adabn', '--iterations', '2', '--json', json, '--model', modelDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| case +\| mode +\| NCR/);
    expect(r.stdout).toMatch(/\| mean +\| bn /);
    expect(r.stderr).toMatch(/Broken: skipped — .*Broken_t1\.nii\.gz/);
    const recs = JSON.parse(readFileSync(json, 'utf8')) as BenchmarkRecord[];
    expect(recs.map((x) => `${x.case}/${x.mode}`)).toEqual(['Case1/none', 'Case1/bn', 'Case1/adabn', 'Case2/none', 'Case2/bn', 'Case2/adabn']);
    for (const x of recs) {
      expect(Object.keys(x.dice!)).toEqual(['NCR', 'ED', 'ET', 'ET_region', 'TC', 'WT']);
      expect(Object.keys(x.hd95!)).toEqual(['NCR', 'ED', 'ET', 'ET_region', 'TC', 'WT']);
      expect(x.lossCurve[0]).toBeCloseTo(x.shiftScore, 5);
      expect(x.lossCurve[x.chosenIteration]).toBe(Math.min(...(x.mode === 'adabn' ? [x.lossCurve[1]] : x.lossCurve)));
    }
    expect(recs.find((x) => x.mode === 'bn')!.lossCurve).toHaveLength(3);
    // r over two cases is the sign of the slope (or n/a when either side does not vary),
    // worked out here from the records themselves.
    const none = recs.filter((x) => x.mode === 'none');
    const [s1, s2] = none.map((x) => x.shiftScore);
    const [d1, d2] = none.map((x) => (x.dice!.NCR! + x.dice!.ED! + x.dice!.ET!) / 3);
    const r2 = s1 === s2 || d1 === d2 ? 'n/a' : (s2 - s1) * (d2 - d1) > 0 ? '1.000' : '-1.000';
    expect(r.stdout).toContain(`Pearson r(shift score, no-adaptation mean Dice NCR/ED/ET) over 2 cases: ${r2}`);
    // all modes see the same scan: the same shift score
    expect(new Set(recs.filter((x) => x.case === 'Case1').map((x) => x.shiftScore.toFixed(6))).size).toBe(1);
  }, 120_000);

  it('segment writes a mask on the input grid', async () => {
    const out = join(root, 'mask.nii.gz');
    const r = await run(['segment', join(cases, 'Case1'), '--mode', 'normalizer', '--iterations', '1', '--out', out, '--model', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    const mask = await readNifti(readFileSync(out), 'mask.nii.gz');
    const t1 = await readNifti(readFileSync(join(cases, 'Case1', 'Case1_t1.nii.gz')), 't1');
    expect(mask.dims).toEqual(t1.dims);
    expect(mask.affine).toEqual(t1.affine);
    for (const v of new Set(mask.data)) expect([0, 1, 2, 4]).toContain(v);
  }, 120_000);

  /** A model folder holding the tiny model and, when given, this calibration.json. */
  function modelFolder(name: string, calibration?: Calibration): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(tiny.manifest));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(tiny.weights));
    if (calibration) writeFileSync(join(dir, 'calibration.json'), JSON.stringify(calibration));
    return dir;
  }
  const differingVoxels = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let n = 0;
    for (let i = 0; i < a.length; i++) n += a[i] !== b[i] ? 1 : 0;
    return n;
  };
  const maskOf = async (path: string) => (await readNifti(readFileSync(path), path)).data;

  it('calibrate writes the reference next to the model from the training scans, read by auto; fewer than 3 scans are refused', async () => {
    const folders = [1, 2, 3].map((seed) => {
      const c = makeSyntheticCase({ seed: 10 + seed, caseId: `Train${seed}` });
      const dir = join(root, 'train', c.caseId);
      mkdirSync(dir, { recursive: true });
      for (const f of Object.values(c.files)) writeFileSync(join(dir, f.name), f.bytes as Uint8Array);
      return dir;
    });
    const calibrated = modelFolder('calibrated');
    const c = await run(['calibrate', ...folders, '--model', calibrated, '--slices', '6']);
    expect(c.code, c.stderr).toBe(0);
    const calibration = JSON.parse(readFileSync(join(calibrated, 'calibration.json'), 'utf8')) as Calibration;
    expect(calibration.scans.map((x) => x.name)).toEqual(['Train1', 'Train2', 'Train3']);
    expect(calibration.measurement.slices).toBe(6);
    for (const x of calibration.scans) {
      // leave-one-out feature readings and the source model's own output signals
      for (const k of ['featureKl', 'featureZ', 'tumourEntropy', 'flipDisagreement']) expect(Number.isFinite(x.outputs[k]), k).toBe(true);
    }
    // segment (auto is the default mode) reads the scan against exactly these training values.
    const s = await run(['segment', join(cases, 'Case1'), '--out', join(root, 'calibrated.nii.gz'), '--model', calibrated]);
    expect(s.code, s.stderr).toBe(0);
    const highest = Math.max(...calibration.scans.map((x) => x.outputs[DEFAULT_POLICY.signal]));
    expect(s.stderr).toMatch(new RegExp(`${DEFAULT_POLICY.signal} [\\d.]+ \\(training scans' highest ${highest.toFixed(4)}, percentile \\d+ of 3\\)`));
    // Scans the model did not train on: added to the same calibration (its training scans kept), and read against from then on.
    const heldOut = [1, 2].map((seed) => {
      const c = makeSyntheticCase({ seed: 20 + seed, caseId: `Held${seed}` });
      const dir = join(root, 'held', c.caseId);
      mkdirSync(dir, { recursive: true });
      for (const f of Object.values(c.files)) writeFileSync(join(dir, f.name), f.bytes as Uint8Array);
      return dir;
    });
    const added = await run(['calibrate', '--untrained', heldOut.join(','), '--model', calibrated]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/calibrate: 3 training scans, 2 not trained on/);
    const withHeldOut = JSON.parse(readFileSync(join(calibrated, 'calibration.json'), 'utf8')) as Calibration;
    expect(withHeldOut.scans.map((x) => [x.name, x.trained ?? true])).toEqual([['Train1', true], ['Train2', true], ['Train3', true], ['Held1', false], ['Held2', false]]);
    expect(withHeldOut.scans.slice(0, 3)).toEqual(calibration.scans); // the training scans, untouched
    const heldHighest = Math.max(...withHeldOut.scans.slice(3).map((x) => x.outputs[DEFAULT_POLICY.signal]));
    const s2 = await run(['segment', join(cases, 'Case1'), '--out', join(root, 'calibrated2.nii.gz'), '--model', calibrated]);
    expect(s2.stderr).toMatch(new RegExp(`${DEFAULT_POLICY.signal} [\\d.]+ \\(held-out scans' highest ${heldHighest.toFixed(4)}, percentile \\d+ of 2\\)`));
    expect((await run(['calibrate', '--untrained', heldOut[0], '--model', calibrated])).stderr).toMatch(/--untrained needs at least 2 case folders/);
    expect((await run(['calibrate', folders[0], '--model', calibrated])).stderr).toMatch(/at least 3 training case folders/);
  }, 240_000);

  // The tiny model on these phantoms (measured with the same core code): both candidates run;
  // TENT lowers the entropy inside the tumour (1.115 → 1.106) and bn-brain does not, so a scan
  // that reads beyond the training scans keeps TENT's mask. The calibrations are hand-made
  // (craftedCalibration) so that the reading, hence the decision, is known in advance.
  it('auto on scans beyond every training scan: adapts with both candidates, keeps the one whose entropy fell (TENT), and says why', async () => {
    const beyond = modelFolder('beyond', craftedCalibration(tiny, 1e-6));
    const json = join(root, 'auto-beyond.json');
    const b = await run(['benchmark', cases, '--modes', 'none,tent,auto', '--json', json, '--model', beyond]);
    expect(b.code, b.stderr).toBe(0);
    const recs = JSON.parse(readFileSync(json, 'utf8')) as BenchmarkRecord[];
    const autos = recs.filter((x) => x.mode === 'auto');
    expect(autos.map((a) => a.case)).toEqual(['Case1', 'Case2']);
    for (const a of autos) {
      expect(a.decision).toMatchObject({ adaptedWith: 'tent', kept: 'adapted', reading: { signal: DEFAULT_POLICY.signal, percentile: 100 } });
      const reading = a.decision!.reading!;
      if (isNoTumour(reading)) throw new Error(`${a.case}: the tiny model predicts tumour on the phantoms, got a no-tumour reading`);
      expect(reading.ratio).toBeGreaterThan(DEFAULT_POLICY.adaptAboveRatio);
      expect(a.decision!.reason).toMatch(/^baseline may be unreliable on this scan: .*so it adapted with TENT and BN adaptation \(bn-brain\); kept tent's mask \(tent: tumour volume changed \d+ %, entropy inside the tumour [\d.]+ → [\d.]+ \(fell \d+ %\) — kept; bn-brain: .* — not kept\)$/);
      const [tent, bnBrain] = a.decision!.candidates;
      expect([tent.variant, tent.kept, bnBrain.variant, bnBrain.kept]).toEqual(['tent', true, 'bn-brain', false]);
      expect(tent.evidence.tumourEntropy).toBeLessThan(a.decision!.baseline.tumourEntropy);
      expect(bnBrain.evidence.tumourEntropy).toBeGreaterThanOrEqual(a.decision!.baseline.tumourEntropy);
      expect(Number.isFinite(tent.evidence.flipDisagreement!)).toBe(true);
      // The mask auto keeps is TENT's own: the same Dice as a run of TENT.
      expect(a.dice).toEqual(recs.find((x) => x.case === a.case && x.mode === 'tent')!.dice);
      expect(a.lossCurve).toHaveLength(DEFAULT_POLICY.candidates[0].settings.iterations + 1);
      expect(Number.isFinite(a.decision!.baseline.featureZ)).toBe(true);
      // auto's row carries the baseline's shift score (it was recorded as NaN)
      const none = recs.find((x) => x.case === a.case && x.mode === 'none')!;
      expect(Number.isFinite(none.shiftScore)).toBe(true);
      expect(a.shiftScore).toBe(none.shiftScore);
      expect(a.decision!.baseline.shiftScore).toBe(none.shiftScore);
    }
    expect(b.stderr).not.toMatch(/shift NaN/);
    expect(b.stderr).toMatch(/Case1 auto: baseline may be unreliable on this scan: .*kept tent's mask/);
    // segment shows the adapted mask: not the baseline's.
    const s = await run(['segment', join(cases, 'Case1'), '--out', join(root, 'auto-beyond.nii.gz'), '--model', beyond]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/auto: baseline may be unreliable on this scan: .*kept tent's mask/);
    expect(s.stderr).toMatch(/auto candidate tent: .* — kept\n/);
    expect(s.stderr).toMatch(/auto candidate bn-brain: .* — not kept\n/);
    expect((await run(['segment', join(cases, 'Case1'), '--mode', 'none', '--out', join(root, 'none-beyond.nii.gz'), '--model', beyond])).code).toBe(0);
    expect(differingVoxels(await maskOf(join(root, 'auto-beyond.nii.gz')), await maskOf(join(root, 'none-beyond.nii.gz')))).toBeGreaterThan(0);
  }, 240_000);

  it('auto on scans within the training scans\' range: keeps the baseline without adapting, and says why', async () => {
    const within = modelFolder('within', craftedCalibration(tiny, 1e6));
    const json = join(root, 'auto-within.json');
    const b = await run(['benchmark', cases, '--modes', 'none,auto', '--json', json, '--model', within]);
    expect(b.code, b.stderr).toBe(0);
    const recs = JSON.parse(readFileSync(json, 'utf8')) as BenchmarkRecord[];
    const autos = recs.filter((x) => x.mode === 'auto');
    expect(autos.map((a) => a.case)).toEqual(['Case1', 'Case2']);
    for (const a of autos) {
      expect(a.decision).toMatchObject({ adaptedWith: null, kept: 'baseline', reading: { signal: DEFAULT_POLICY.signal, percentile: 0 } });
      expect(a.decision!.candidates).toEqual([]);
      expect(a.decision!.reason).toMatch(/^baseline kept without adapting: .* is not above the rule's threshold/);
      expect(a.lossCurve).toEqual([]);
      const none = recs.find((x) => x.case === a.case && x.mode === 'none')!;
      expect(a.dice).toEqual(none.dice);
      expect(Number.isFinite(a.shiftScore)).toBe(true);
      expect(a.shiftScore).toBe(none.shiftScore);
    }
    expect(b.stderr).toMatch(/Case1 auto: baseline kept without adapting/);
    const s = await run(['segment', join(cases, 'Case1'), '--out', join(root, 'auto-within.nii.gz'), '--model', within]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/auto: baseline kept without adapting/);
    expect(s.stderr).not.toMatch(/iteration \d+: loss/);
    expect((await run(['segment', join(cases, 'Case1'), '--mode', 'none', '--out', join(root, 'none-within.nii.gz'), '--model', within])).code).toBe(0);
    expect(differingVoxels(await maskOf(join(root, 'auto-within.nii.gz')), await maskOf(join(root, 'none-within.nii.gz')))).toBe(0);
  }, 240_000);

  it('refuses bad arguments with a specific message', async () => {
    expect((await run(['benchmark', cases, '--modes', 'magic', '--model', modelDir])).stderr).toMatch(/unknown adaptation mode "magic"/);
    expect((await run(['benchmark', cases, '--lr', 'fast', '--model', modelDir])).stderr).toMatch(/--lr must be a number/);
    expect((await run(['benchmark', cases, '--colour', 'red'])).stderr).toMatch(/unknown option --colour/);
    expect((await run(['segment', cases])).stderr).toMatch(/--out <mask.nii.gz> is required/);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['segment', join(cases, 'Case1'), '--mode', 'tent', '--layers', 'shallow', '--out', join(root, 'x.nii'), '--model', modelDir])).stderr).toMatch(/--layers \/ --pixels are variants of the alignment objective/);
    expect((await run(['segment', join(cases, 'Case1'), '--mode', 'bn', '--pixels', 'skull', '--out', join(root, 'x.nii'), '--model', modelDir])).stderr).toMatch(/unknown pixel set "skull"/);
  });
});
