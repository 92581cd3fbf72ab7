import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODALITIES } from '../core/modality/index.ts';
import { shiftCase } from '../core/shift/index.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { caseFolders } from './caseFolders.ts';
import { runCli } from './testing/runCli.ts';

const run = runCli;

function sameVoxels(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false;
  return true;
}

describe('attune shift', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-shift-'));
  const source = join(root, 'cases', 'Case7');
  const out = join(root, 'shifted');

  beforeAll(() => {
    const c = makeSyntheticCase({ seed: 7, caseId: 'Case7' });
    mkdirSync(source, { recursive: true });
    for (const f of Object.values(c.files)) writeFileSync(join(source, f.name), f.bytes as Uint8Array);
  });

  it('writes a case folder that loads like any case: same grid, shifted scans, label byte-identical', async () => {
    const r = await run(['shift', source, '--preset', 'low-field', '--severity', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(out, 'Case7-low-field-s2');
    expect(r.stderr).toContain(dir);
    for (const m of [...MODALITIES, 'seg']) expect(existsSync(join(dir, `Case7-low-field-s2_${m}.nii.gz`)), m).toBe(true);
    expect(readFileSync(join(dir, 'Case7-low-field-s2_seg.nii.gz')).equals(readFileSync(join(source, 'Case7_seg.nii.gz')))).toBe(true);

    const written = await readCaseFolder(dir);
    expect(written.check.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const shifted = written.check.mriCase!;
    const original = (await readCaseFolder(source)).check.mriCase!;
    const inProcess = shiftCase(original, { preset: 'low-field', severity: 2 }).mriCase;
    for (const m of MODALITIES) {
      const a = original.modalities[m];
      const b = shifted.modalities[m];
      expect(b.dims).toEqual(a.dims);
      expect(b.affine).toEqual(a.affine);
      expect(b.spacingMm).toEqual(a.spacingMm);
      expect(b.datatype).toBe(a.datatype);
      expect(sameVoxels(b.data, a.data)).toBe(false);
      expect(sameVoxels(b.data, inProcess.modalities[m].data)).toBe(true);
    }
    expect(sameVoxels(shifted.label!.data, original.label!.data)).toBe(true);
    const record = JSON.parse(readFileSync(join(dir, 'shift.json'), 'utf8'));
    expect(record).toMatchObject({ sourceCase: 'Case7', case: 'Case7-low-field-s2', preset: 'low-field', severity: 2, seed: 1 });
    expect(record.steps.t1.map((s: { kind: string }) => s.kind)).toEqual(['contrast', 'blur', 'ricianNoise']);
    // `benchmark <out>` finds it like any case folder.
    expect(await caseFolders(out)).toContain(dir);
  });

  it('--seed names the case and changes the draws; severity 0 writes the input voxels', async () => {
    expect((await run(['shift', source, '--preset', 'noisy', '--severity', '3', '--seed', '9', '--out', out])).code).toBe(0);
    expect((await run(['shift', source, '--preset', 'noisy', '--severity', '3', '--out', out])).code).toBe(0);
    const seeded = (await readCaseFolder(join(out, 'Case7-noisy-s3-seed9'))).check.mriCase!;
    const plain = (await readCaseFolder(join(out, 'Case7-noisy-s3'))).check.mriCase!;
    expect(sameVoxels(seeded.modalities.flair.data, plain.modalities.flair.data)).toBe(false);

    expect((await run(['shift', source, '--preset', 'gamma', '--severity', '0', '--out', out])).code).toBe(0);
    const identity = (await readCaseFolder(join(out, 'Case7-gamma-s0'))).check.mriCase!;
    const original = (await readCaseFolder(source)).check.mriCase!;
    for (const m of MODALITIES) expect(sameVoxels(identity.modalities[m].data, original.modalities[m].data)).toBe(true);
  });

  it('refuses bad arguments with a specific message and writes nothing', async () => {
    const bad = join(root, 'never');
    const cases: [string[], RegExp][] = [
      [['--preset', 'hospital-b', '--severity', '1'], /unknown shift preset "hospital-b" \(known: low-field, vendor-mild, thick-slices, bias-field, noisy/],
      [['--preset', 'noisy', '--severity', '5'], /shift severity must be an integer from 0 \(none\) to 4, got "5"/],
      [['--preset', 'noisy', '--severity', 'high'], /shift severity must be an integer from 0 \(none\) to 4, got "high"/],
      [['--preset', 'noisy', '--severity', '1', '--seed', '-2'], /shift seed must be an integer/],
      [['--severity', '1'], /--preset is required/],
      [['--preset', 'noisy'], /--severity 0–4 is required/],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['shift', source, ...flags, '--out', bad]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect((await run(['shift', source, '--preset', 'noisy', '--severity', '1'])).stderr).toMatch(/--out <folder> is required/);
    expect((await run(['shift', join(root, 'nowhere'), '--preset', 'noisy', '--severity', '1', '--out', bad])).stderr).toMatch(/nowhere is not a case folder/);
    const incomplete = join(root, 'incomplete');
    mkdirSync(incomplete);
    writeFileSync(join(incomplete, 'Case7_t1.nii.gz'), readFileSync(join(source, 'Case7_t1.nii.gz')));
    expect((await run(['shift', incomplete, '--preset', 'noisy', '--severity', '1', '--out', bad])).stderr).toMatch(/attune shift: .*incomplete: .*(T1Gd|t1ce|missing)/i);
    expect(existsSync(bad)).toBe(false);
  });
});
