import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeNoTumourModelFiles } from '../core/model/testing/noTumourModel.ts';
import { craftedCalibration } from '../core/signals/testing/craftedCalibration.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { readNifti } from '../core/volume/index.ts';
import type { BenchmarkRecord } from './benchmarkTable.ts';
import { runCli } from './testing/runCli.ts';
import { tumourVolumeLine } from './segment.ts';

const run = runCli;

/**
 * A scan in which the model finds no tumour, with a calibration loaded: every run succeeds,
 * says no tumour was found, and `auto` keeps the baseline with the reason. The calibration's
 * training values are tiny, so a tumour signal read as a number would be "beyond" and auto
 * would adapt: keeping the baseline here is the no-tumour answer, not the threshold.
 */
describe('attune CLI on a scan where the model predicts no tumour', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-no-tumour-'));
  const modelDir = join(root, 'model');
  const cases = join(root, 'cases');
  const caseDir = join(cases, 'Healthy1');

  beforeAll(() => {
    mkdirSync(modelDir);
    const files = makeNoTumourModelFiles();
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(files.manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(files.weights));
    writeFileSync(join(modelDir, 'calibration.json'), JSON.stringify(craftedCalibration(files, 1e-6)));
    const c = makeSyntheticCase({ seed: 1, caseId: 'Healthy1', dims: [40, 40, 12] });
    mkdirSync(caseDir, { recursive: true });
    for (const f of Object.values(c.files)) writeFileSync(join(caseDir, f.name), f.bytes as Uint8Array);
  });

  it('segment --mode auto: an empty mask, "no tumour found", and auto keeps the baseline saying why', async () => {
    const out = join(root, 'auto.nii.gz');
    const r = await run(['segment', caseDir, '--out', out, '--model', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/flipDisagreement: no reading \(the model predicts no tumour in this scan/);
    expect(r.stderr).toMatch(/auto: baseline kept without adapting: the model predicts no tumour in this scan, so the left–right flip disagreement of the tumour has nothing to measure/);
    expect(r.stderr).not.toMatch(/iteration \d+: loss/); // it did not adapt
    expect(r.stderr).toMatch(/no tumour found: the mask has no tumour voxel \(NCR, ED, ET 0 mL\)/);
    expect(r.stderr).toMatch(/Dice .*WT 0\.0000/); // the synthetic label has a tumour; the mask has none
    const mask = await readNifti(readFileSync(out), 'auto.nii.gz');
    expect(mask.data.length).toBeGreaterThan(0);
    expect(mask.data.every((v) => v === 0)).toBe(true);
  }, 120_000);

  it('segment with an adaptation mode: the run succeeds on the empty prediction', async () => {
    const out = join(root, 'bn.nii');
    const r = await run(['segment', caseDir, '--mode', 'bn', '--iterations', '2', '--out', out, '--model', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no tumour found/);
    expect((await readNifti(readFileSync(out), 'bn.nii')).data.every((v) => v === 0)).toBe(true);
  }, 120_000);

  it('benchmark --modes auto: a record with the no-tumour decision and the baseline shift score', async () => {
    const json = join(root, 'auto.json');
    const r = await run(['benchmark', cases, '--modes', 'auto', '--json', json, '--model', modelDir]);
    expect(r.code, r.stderr).toBe(0);
    const [rec] = JSON.parse(readFileSync(json, 'utf8')) as BenchmarkRecord[];
    expect(rec.decision).toMatchObject({ kept: 'baseline', adaptedWith: null, reading: { signal: 'flipDisagreement', noTumour: 'scan' } });
    expect(rec.decision!.baseline.tumourVoxels).toBe(0);
    expect(rec.decision!.baseline.flipDisagreement).toBeNull();
    // With no `none` row, the shift score is measured as that row would measure it.
    expect(Number.isFinite(rec.shiftScore)).toBe(true);
    expect(rec.decision!.baseline.shiftScore).toBe(rec.shiftScore);
    expect(rec.dice!.WT).toBe(0);
  }, 120_000);
});

describe('tumourVolumeLine', () => {
  it('gives the volume per label and the whole tumour, or says no tumour was found', () => {
    expect(tumourVolumeLine(Uint8Array.from([0, 1, 2, 2, 4, 0]), 0.5)).toBe('tumour volume: NCR 0.5 mL, ED 1.0 mL, ET 0.5 mL; whole tumour 2.0 mL');
    expect(tumourVolumeLine(new Uint8Array(5), 1)).toBe('no tumour found: the mask has no tumour voxel (NCR, ED, ET 0 mL)');
  });
});
