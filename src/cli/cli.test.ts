import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { readNifti } from '../core/volume/index.ts';
import type { BenchmarkRecord } from './benchmarkTable.ts';
import { main } from './main.ts';

/** Runs the CLI in-process, capturing stdout/stderr. */
async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  try {
    return { code: await main(args), stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

describe('attune CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-cli-'));
  const modelDir = join(root, 'model');
  const cases = join(root, 'cases');

  beforeAll(() => {
    mkdirSync(modelDir);
    const { manifest, weights } = makeTinyModelFiles();
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(weights));
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
    expect(r.stdout).toMatch(/Pearson r\(shift score, no-adaptation mean Dice NCR\/ED\/ET\) over 2 cases: (-?\d\.\d{3}|n\/a)/);
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

  it('refuses bad arguments with a specific message', async () => {
    expect((await run(['benchmark', cases, '--modes', 'magic', '--model', modelDir])).stderr).toMatch(/unknown adaptation mode "magic"/);
    expect((await run(['benchmark', cases, '--lr', 'fast', '--model', modelDir])).stderr).toMatch(/--lr must be a number/);
    expect((await run(['benchmark', cases, '--colour', 'red'])).stderr).toMatch(/unknown option --colour/);
    expect((await run(['segment', cases])).stderr).toMatch(/--out <mask.nii.gz> is required/);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
