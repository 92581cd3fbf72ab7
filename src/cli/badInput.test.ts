import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { niftiOf, rawNifti } from '../core/testing/niftiFixtures.ts';
import { readNifti, writeNifti } from '../core/volume/index.ts';
import { runCli } from './testing/runCli.ts';

/**
 * Issue 8, bad input on the command line: `attune segment` refuses each kind with the same
 * specific message as the app (core's checks), exit code 1, and writes no mask.
 */
const run = runCli;

describe('attune segment refuses bad input with a specific message', () => {
  const root = mkdtempSync(join(tmpdir(), 'attune-bad-'));
  const modelDir = join(root, 'model');
  const c = makeSyntheticCase({ seed: 3, caseId: 'C' });
  const [X, Y, Z] = c.dims;
  const good = { t1: c.files.t1.bytes, t1ce: c.files.t1ce.bytes, t2: c.files.t2.bytes, flair: c.files.flair.bytes } as Record<string, Uint8Array | ArrayBuffer>;

  /** A case folder: the good scans with `replace` swapped in (null removes a file). */
  function caseDir(label: string, replace: Record<string, { name?: string; bytes: Uint8Array | ArrayBuffer } | null>): string {
    const dir = join(root, label);
    mkdirSync(dir);
    const roles = { ...Object.fromEntries(Object.entries(good).map(([r, bytes]) => [r, { bytes } as { name?: string; bytes: Uint8Array | ArrayBuffer }])), ...replace };
    for (const [role, file] of Object.entries(roles)) {
      if (file) writeFileSync(join(dir, file.name ?? `C_${role}.nii.gz`), new Uint8Array(file.bytes as ArrayBuffer));
    }
    return dir;
  }

  const cases: [string, () => Promise<string> | string, (string | RegExp)[]][] = [
    ['not NIfTI', () => caseDir('text', { t1: { name: 'C_t1.nii.gz', bytes: new TextEncoder().encode('notes '.repeat(100)) } }), ['C_t1.nii.gz is not a NIfTI file']],
    ['truncated gzip', () => caseDir('cut', { t1: { bytes: (c.files.t1.bytes as Uint8Array).slice(0, 500) } }), ['C_t1.nii.gz: the gzip data is corrupt or truncated']],
    ['4D volume', () => caseDir('4d', { t2: { name: 'C_t2.nii', bytes: rawNifti({ dim: [4, X, Y, Z, 2], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(X * Y * Z * 2) }) } }), [`C_t2.nii is 4D (${X}×${Y}×${Z}×2)`]],
    ['2D image', () => caseDir('2d', { t2: { name: 'C_t2.nii', bytes: rawNifti({ dim: [2, X, Y], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(X * Y).fill(1) }) } }), [`C_t2.nii is not a 3D volume (${X}×${Y})`]],
    ['mismatched dimensions', () => caseDir('dims', { flair: { bytes: makeSyntheticCase({ seed: 3, dims: [X, Y, Z - 2] }).files.flair.bytes as Uint8Array } }), [`C_flair.nii.gz (FLAIR) is ${X}×${Y}×${Z - 2} voxels but C_t1.nii.gz (T1) is ${X}×${Y}×${Z}`, /Tried as a raw study .*: The T1Gd's brain mask is \d+ mL/]],
    ['mismatched affine', async () => {
      const t2 = await readNifti(c.files.t2.bytes, 't2');
      return caseDir('affine', { t2: { bytes: niftiOf('C_t2.nii.gz', t2.data, { dims: c.dims, originMm: [0, 0, 0] }) } });
    }, [/C_t2\.nii\.gz \(T2\) is placed differently in space from C_t1\.nii\.gz \(T1\): its origin is shifted by/, /Tried as a raw study .*: The T1Gd's brain mask is \d+ mL/]],
    ['missing modality', () => caseDir('missing', { flair: null }), ['Missing modality: FLAIR.']],
    ['duplicated modality', () => caseDir('dup', { extra: { name: 'C_T1w.nii.gz', bytes: c.files.t1.bytes as Uint8Array } }), ['2 files claim T1: C_T1w.nii.gz, C_t1.nii.gz']],
    ['NaN voxels', async () => {
      const t1 = await readNifti(c.files.t1.bytes, 't1');
      const data = Float32Array.from(t1.data);
      data[X * Y * 10 + X * 20 + 20] = Number.POSITIVE_INFINITY;
      return caseDir('nan', { t1: { bytes: writeNifti(t1, data) } });
    }, ['C_t1.nii.gz (T1) contains 1 non-finite voxel (NaN or ±Infinity)']],
    ['all-zero volume', () => caseDir('zero', { t1ce: { bytes: niftiOf('C_t1ce.nii.gz', new Int16Array(X * Y * Z), { dims: c.dims }) } }), ['C_t1ce.nii.gz (T1Gd) is empty: every voxel is 0']],
    ['label with foreign values', () => caseDir('labels', { seg: { bytes: niftiOf('C_seg.nii.gz', new Uint8Array(X * Y * Z).fill(7, 0, 40), { dims: c.dims }) } }), ['C_seg.nii.gz (label map) contains values that no BraTS convention uses: 7.', '7 (40 voxels)']],
    ['label on another grid', () => caseDir('labelgrid', { seg: { bytes: niftiOf('C_seg.nii.gz', new Uint8Array(8 * 8 * 8), { dims: [8, 8, 8] }) } }), ['C_seg.nii.gz (Label map) is 8×8×8 voxels']],
    ['unsupported datatype', () => caseDir('rgb', { t1: { name: 'C_t1.nii', bytes: rawNifti({ dim: [3, X, Y, Z], datatype: 128, bitsPerVoxel: 24, voxelBytes: new Uint8Array(X * Y * Z * 3) }) } }), ['C_t1.nii stores RGB24 voxels']],
    ['a file beyond the memory budget', () => {
      const dir = caseDir('huge', { t2: null });
      const fd = openSync(join(dir, 'C_t2.nii'), 'w'); // sparse: 3 GiB of nothing, never read
      ftruncateSync(fd, 3 * 1024 ** 3);
      closeSync(fd);
      return dir;
    }, ['C_t2.nii is 3.0 GiB, more than the 512 MiB one scan may use']],
    ['not skull-stripped, not on a 1 mm grid', () => {
      const raw = (r: string) => ({ bytes: niftiOf(`C_${r}.nii.gz`, new Int16Array(X * Y * Z).map((_, n) => 4 + (n % 9)), { dims: c.dims, spacingMm: [0.5, 0.5, 3] }) });
      return caseDir('raw', { t1: raw('t1'), t1ce: raw('t1ce'), t2: raw('t2'), flair: raw('flair') });
    }, ['Not on a 1 mm grid: C_flair.nii.gz (FLAIR) has 0.5×0.5×3 mm voxels', 'Not skull-stripped:', 'skull stripping (e.g. HD-BET or FSL BET), co-registration of the four modalities to one grid, and resampling to 1 × 1 × 1 mm voxels',
      // …so it is tried as a raw study, and the noise has no brain for MindGrab to find.
      /Tried as a raw study \(skull strip, registration to SRI24\): The T1Gd's brain mask is \d+ mL, outside what a brain is/]],
  ];

  beforeAll(() => {
    mkdirSync(modelDir);
    const { manifest, weights } = makeTinyModelFiles();
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(weights));
  });

  it.each(cases)('%s', async (_kind, make, messages) => {
    const dir = await make();
    const out = join(dir, 'mask.nii.gz');
    const r = await run(['segment', dir, '--out', out, '--model', modelDir]);
    expect(r.code).toBe(1);
    for (const m of messages) expect(r.stderr).toMatch(typeof m === 'string' ? new RegExp(m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : m);
    // The refusal, after the raw pipeline's log lines when the drop was tried as a raw study.
    const before = r.stderr.slice(0, r.stderr.indexOf('attune segment: '));
    expect(before.split('\n').filter(Boolean).every((line) => line.startsWith('raw study: ')), before).toBe(true);
  });

  it('and segments the same case once it is correct', async () => {
    const dir = caseDir('good', {});
    const r = await run(['segment', dir, '--out', join(dir, 'mask.nii.gz'), '--model', modelDir, '--mode', 'none']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('fits a run into the memory budget: adaptation in passes of fewer slices, said in the log', async () => {
    // A 300×300 mm field of view crops to 272×272 slices: batch 8 fits wasm's heap, but
    // BN adaptation on 8 such slices in one pass would not (core/memory's estimate).
    const big = makeSyntheticCase({ seed: 4, dims: [300, 300, 3], caseId: 'Big' });
    const dir = join(root, 'big');
    mkdirSync(dir);
    for (const f of Object.values(big.files)) writeFileSync(join(dir, f.name), f.bytes as Uint8Array);
    const r = await run(['segment', dir, '--out', join(dir, 'mask.nii.gz'), '--model', modelDir, '--mode', 'bn', '--iterations', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bn: all 8 statistics slices, [1-7] per pass \(memory plan for the wasm backend; same result, less memory\)/);
    expect(r.stderr).not.toMatch(/statistics slices reduced/);
  }, 120_000);
});
