import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { writeDicomSeries, type SeriesSpec } from '../core/testing/dicomFixtures.ts';
import { runCli } from './testing/runCli.ts';

const run = runCli;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const qaDir = process.env.ATTUNE_DCM_QA_DIR ?? resolve(repoRoot, '../shared/data/dicom/dcm_qa');
const qaPresent = existsSync(join(qaDir, 'In'));
if (!qaPresent) console.warn(`[cli/dicom.test] dcm_qa SKIPPED: ${qaDir} not found (the shared DICOM data is absent on this machine)`);

const STUDY: SeriesSpec[] = [
  { seriesNumber: 1, description: 'localizer', dims: [16, 16, 3] },
  { seriesNumber: 2, description: 't1_se_tra', tags: { RepetitionTime: 500, EchoTime: 12 } },
  { seriesNumber: 3, description: 't2_tse_tra', tags: { RepetitionTime: 5000, EchoTime: 95 } },
  { seriesNumber: 4, description: 't2_flair_tra', tags: { RepetitionTime: 9000, EchoTime: 81, InversionTime: 2500 } },
  { seriesNumber: 5, description: 't1_se_tra', tags: { RepetitionTime: 500, EchoTime: 12, ContrastBolusAgent: 'Dotarem' } },
];

function writeTree(root: string, files: { name: string; bytes: Uint8Array }[]) {
  for (const f of files) {
    mkdirSync(dirname(join(root, f.name)), { recursive: true });
    writeFileSync(join(root, f.name), f.bytes);
  }
}

describe('attune convert / segment on DICOM', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-dicom-cli-'));
  const study = join(root, 'study');
  const modelDir = join(root, 'model');

  beforeAll(() => {
    writeTree(study, [...STUDY.flatMap((s) => writeDicomSeries(s)), { name: 'notes.txt', bytes: new TextEncoder().encode('from PACS') }]);
    mkdirSync(modelDir);
    const { manifest, weights } = makeTinyModelFiles();
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(weights));
  });

  it('convert writes each series as NIfTI + its sidecar and prints the assignment table; the input is untouched', async () => {
    const listing = () => readdirSync(study, { recursive: true }).map(String).sort();
    const before = listing();
    const snapshot = new Map(before.filter((p) => p.endsWith('.dcm') || p.endsWith('.txt')).map((p) => [p, readFileSync(join(study, p))]));
    const out = join(root, 'nifti');
    const r = await run(['convert', study, '--out', out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\| file +\| series +\| voxels +\| mm +\| role +\| why \|$/);
    const roleOf = (file: string) => lines.find((l) => l.startsWith(`| ${file} `))?.split('|')[5].trim();
    expect(roleOf('1_localizer.nii')).toBe('skipped (localiser)');
    expect(roleOf('2_t1_se_tra.nii')).toBe('T1');
    expect(roleOf('3_t2_tse_tra.nii')).toBe('T2');
    expect(roleOf('4_t2_flair_tra.nii')).toBe('FLAIR');
    expect(roleOf('5_t1_se_tra.nii')).toBe('T1Gd');
    expect(r.stdout).toContain("with contrast agent (ContrastBolusAgent 'Dotarem')");
    expect(r.stderr).toContain('warning: 1 file(s) are not DICOM and were left out: notes.txt.');
    expect(readdirSync(out).sort()).toEqual(['1_localizer', '2_t1_se_tra', '3_t2_tse_tra', '4_t2_flair_tra', '5_t1_se_tra'].flatMap((b) => [`${b}.json`, `${b}.nii`]));
    expect(JSON.parse(readFileSync(join(out, '5_t1_se_tra.json'), 'utf8'))).toMatchObject({ SeriesDescription: 't1_se_tra', SeriesNumber: 5, RepetitionTime: 0.5 });
    // Nothing a user gave is modified; nothing is added beside it.
    expect(listing()).toEqual(before);
    expect(snapshot.size).toBe(36);
    for (const [p, bytes] of snapshot) expect(readFileSync(join(study, p)).equals(bytes), p).toBe(true);

    // A second run into the same folder would overwrite: refused, nothing written.
    const again = await run(['convert', study, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds 1_localizer\.nii, 1_localizer\.json, .*; choose an empty folder \(nothing was written\)/);
  });

  it('convert of a folder without DICOM: a clear refusal', async () => {
    const junk = join(root, 'junk');
    writeTree(junk, [{ name: 'a.txt', bytes: new TextEncoder().encode('hello') }]);
    const r = await run(['convert', junk, '--out', join(root, 'junk-out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`attune convert: no DICOM file found in ${junk}\n`);
    expect(existsSync(join(root, 'junk-out'))).toBe(false);
  });

  it('segment on a DICOM folder logs the assignment, then stops with the clear message for raw (not BraTS-ready) scans', async () => {
    const mask = join(root, 'mask.nii.gz');
    const r = await run(['segment', study, '--out', mask, '--model', modelDir, '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DICOM: 35 files → 5 series');
    expect(r.stderr).toMatch(/\| 4_t2_flair_tra\.nii +\| t2_flair_tra +\| 16×16×8 +\| 1×1×1 +\| FLAIR +\|/);
    expect(r.stderr).toMatch(/attune segment: .*Not skull-stripped: 2_t1_se_tra\.nii \(T1\).* Tried as a raw study \(skull strip, registration to SRI24\): /);
    expect(existsSync(mask)).toBe(false);
  }, 300_000); // tried as a raw study first: MindGrab on the cpu backend

  it.skipIf(!qaPresent)('convert dcm_qa: three series written, byte-identical voxels to Ref/, the EPI series listed as skipped', async () => {
    const out = join(root, 'qa');
    const r = await run(['convert', join(qaDir, 'In'), '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['16_cor_asc_35sl.json', '16_cor_asc_35sl.nii', '22_sag_asc_35sl.json', '22_sag_asc_35sl.nii', '6_ax_asc_35sl.json', '6_ax_asc_35sl.nii']);
    for (const [mine, ref] of [['6_ax_asc_35sl.nii', 'ax_asc_35sl_6.nii'], ['16_cor_asc_35sl.nii', 'cor_asc_35sl_16.nii'], ['22_sag_asc_35sl.nii', 'sag_asc_35sl_22.nii']]) {
      const a = readFileSync(join(out, mine));
      const b = readFileSync(join(qaDir, 'Ref', ref));
      expect(a.length, mine).toBe(b.length);
      // Header bytes differ only in dcm2niix's version string (descrip); the voxels after vox_offset (352) are identical.
      expect(a.subarray(352).equals(b.subarray(352)), mine).toBe(true);
    }
    expect(r.stdout.match(/skipped \(time-series\)/g)).toHaveLength(3);
    expect(r.stderr).toContain('error: None of the 3 series is a T1, T1Gd, T2 or FLAIR scan');
  });
});
