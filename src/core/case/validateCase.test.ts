import { beforeAll, describe, expect, it } from 'vitest';
import type { InputIssue, InputIssueCode } from '../inputIssue.ts';
import { makeSyntheticCase, type SyntheticCase } from '../synthetic/index.ts';
import { niftiOf } from '../testing/niftiFixtures.ts';
import { createNiftiHeader, writeNifti } from '../volume/index.ts';
import { loadCase } from './loadCase.ts';
import { checkFileSize } from '../volume/index.ts';
import { droppedDuringRun, nonZeroBorderFraction } from '../validation/index.ts';
import type { CaseFile, InputFile, RefusedFile } from './types.ts';
import { validateCase } from './validateCase.ts';

const GRID = { dims: [8, 8, 6] as [number, number, number] };
const N = 8 * 8 * 6;
/** Whether voxel n of the 8×8×6 grid lies on the volume's outer faces. */
const onBorder = (n: number) => {
  const [i, j, k] = [n % 8, Math.floor(n / 8) % 8, Math.floor(n / 64)];
  return i === 0 || i === 7 || j === 0 || j === 7 || k === 0 || k === 5;
};
/** A tiny valid scan: finite, non-zero inside, 0 on the border (skull-stripped), 1 mm voxels. */
const scan = (name: string, value = 100) => ({ name, bytes: niftiOf(name, new Int16Array(N).map((_, n) => (onBorder(n) ? 0 : value + (n % 13))), GRID) });
const tinyCase = (): InputFile[] => [scan('c_t1.nii.gz'), scan('c_t1ce.nii.gz'), scan('c_t2.nii.gz'), scan('c_flair.nii.gz')];

const codes = (issues: { code: InputIssueCode }[]) => issues.map((i) => i.code);
const only = (issues: InputIssue[], code: InputIssueCode): InputIssue => {
  const hits = issues.filter((i) => i.code === code);
  expect(hits, `expected one ${code} issue, got ${JSON.stringify(issues)}`).toHaveLength(1);
  return hits[0];
};

describe('loadCase / validateCase', () => {
  let synthetic: SyntheticCase;
  beforeAll(() => {
    synthetic = makeSyntheticCase({ seed: 11 });
  });

  it('accepts a complete synthetic case with its label map, roles from names', async () => {
    const { files, check } = await loadCase(Object.values(synthetic.files));
    expect(files.map((f) => f.role)).toEqual(['t1', 't1ce', 't2', 'flair', 'seg']);
    expect(check.issues).toEqual([]);
    expect(check.mriCase).not.toBeNull();
    expect(check.mriCase!.label!.name).toBe(synthetic.files.seg.name);
    expect(check.mriCase!.modalities.flair.name).toBe(synthetic.files.flair.name);
  });

  it('names the missing modality', async () => {
    const { check } = await loadCase(tinyCase().filter((f) => !f.name.includes('flair')));
    expect(check.mriCase).toBeNull();
    const issue = only(check.issues, 'missing-modality');
    expect(issue.message).toContain('Missing modality: FLAIR.');
  });

  it('names every missing modality', async () => {
    const { check } = await loadCase(tinyCase().slice(0, 2));
    expect(only(check.issues, 'missing-modality').message).toContain('Missing modality: T2, FLAIR');
  });

  it('says when a modality is missing because its file could not be read', async () => {
    const inputs = tinyCase();
    inputs[2] = { name: 'c_t2.nii.gz', bytes: new TextEncoder().encode('x'.repeat(400)) };
    const { check } = await loadCase(inputs);
    expect(codes(check.issues)).toEqual(['not-nifti', 'missing-modality']);
    expect(only(check.issues, 'missing-modality').message).toContain('T2 (c_t2.nii.gz could not be read)');
  });

  it('refuses two files claiming one modality, naming both', async () => {
    const { check } = await loadCase([...tinyCase(), scan('other_T1.nii.gz')]);
    const issue = only(check.issues, 'duplicate-role');
    expect(issue.message).toContain('2 files claim T1: c_t1.nii.gz, other_T1.nii.gz');
    expect(check.mriCase).toBeNull();
  });

  it('lets the user fix roles by hand and re-validate', async () => {
    const inputs = tinyCase();
    inputs[3] = scan('mystery.nii.gz');
    const { files, check } = await loadCase(inputs);
    expect(only(check.issues, 'unrecognised-name').severity).toBe('warning');
    expect(only(check.issues, 'missing-modality').message).toContain('FLAIR');
    const fixed: CaseFile[] = files.map((f) => (f.name === 'mystery.nii.gz' ? { ...f, role: 'flair' } : f));
    const again = validateCase(fixed);
    expect(again.issues).toEqual([]);
    expect(again.mriCase!.modalities.flair.name).toBe('mystery.nii.gz');
  });

  it('keeps an unassigned extra file as a warning only', async () => {
    const { check } = await loadCase([...tinyCase(), scan('notes_about_case.nii.gz')]);
    expect(codes(check.issues)).toEqual(['unrecognised-name']);
    expect(check.mriCase).not.toBeNull();
  });

  it('says which files have different dimensions and how', async () => {
    const inputs = tinyCase();
    inputs[2] = { name: 'c_t2.nii.gz', bytes: niftiOf('c_t2.nii.gz', new Int16Array(8 * 8 * 5).fill(9), { dims: [8, 8, 5] }) };
    const { check } = await loadCase(inputs);
    const issue = only(check.issues, 'dims-mismatch');
    expect(issue.message).toContain('c_t2.nii.gz (T2) is 8×8×5 voxels but c_t1.nii.gz (T1) is 8×8×6');
  });

  it('says which files have a different voxel size', async () => {
    const inputs = tinyCase();
    inputs[1] = { name: 'c_t1ce.nii.gz', bytes: niftiOf('c_t1ce.nii.gz', new Int16Array(N).fill(9), { ...GRID, spacingMm: [1, 1, 1.2] }) };
    const { check } = await loadCase(inputs);
    expect(only(check.issues, 'spacing-mismatch').message).toContain('c_t1ce.nii.gz (T1Gd) has 1×1×1.2 mm voxels but c_t1.nii.gz (T1) has 1×1×1 mm');
  });

  it('says when a file is shifted in space (affine differs)', async () => {
    const inputs = tinyCase();
    inputs[3] = { name: 'c_flair.nii.gz', bytes: niftiOf('c_flair.nii.gz', new Int16Array(N).fill(9), { ...GRID, originMm: [3.5, 3.5, -0.5] }) };
    const { check } = await loadCase(inputs);
    expect(only(check.issues, 'affine-mismatch').message).toContain('origin is shifted by (0, 0, 2) mm');
  });

  it('checks the label map against the scans’ grid too', async () => {
    const seg = { name: 'c_seg.nii.gz', bytes: niftiOf('c_seg.nii.gz', new Uint8Array(4 * 4 * 6), { dims: [4, 4, 6] }) };
    const { check } = await loadCase([...tinyCase(), seg]);
    expect(only(check.issues, 'dims-mismatch').message).toContain('c_seg.nii.gz (Label map) is 4×4×6');
  });

  it('refuses a scan with non-finite voxels and counts them', async () => {
    const inputs = tinyCase();
    const data = new Float32Array(N).fill(50);
    data[3] = Number.NaN;
    data[17] = Number.POSITIVE_INFINITY;
    inputs[0] = { name: 'c_t1.nii.gz', bytes: niftiOf('c_t1.nii.gz', data, GRID) };
    const { check } = await loadCase(inputs);
    expect(only(check.issues, 'non-finite').message).toContain('c_t1.nii.gz (T1) contains 2 non-finite voxels');
  });

  it('refuses an all-zero scan', async () => {
    const inputs = tinyCase();
    inputs[1] = { name: 'c_t1ce.nii.gz', bytes: niftiOf('c_t1ce.nii.gz', new Int16Array(N), GRID) };
    const { check } = await loadCase(inputs);
    expect(only(check.issues, 'all-zero').message).toContain('c_t1ce.nii.gz (T1Gd) is empty: every voxel is 0');
  });

  it('accepts an all-zero label map (no tumour) but refuses values no BraTS convention uses', async () => {
    const empty = await loadCase([...tinyCase(), { name: 'c_seg.nii.gz', bytes: niftiOf('c_seg.nii.gz', new Uint8Array(N), GRID) }]);
    expect(empty.check.issues).toEqual([]);
    expect(empty.check.mriCase!.labelConvention).toBeNull();

    const labels = new Uint8Array(N);
    labels.fill(1, 0, 10);
    labels.fill(5, 10, 12);
    labels.fill(4, 12, 20);
    const bad = await loadCase([...tinyCase(), { name: 'c_seg.nii.gz', bytes: niftiOf('c_seg.nii.gz', labels, GRID) }]);
    const issue = only(bad.check.issues, 'label-values');
    expect(issue.message).toContain('c_seg.nii.gz (label map) contains values that no BraTS convention uses: 5.');
    expect(issue.message).toContain('Values found: 0 (364 voxels), 1 (10 voxels), 4 (8 voxels), 5 (2 voxels).');
  });

  it('reads BraTS 2023+ label maps (ET = 3) into internal values and says which convention it was', async () => {
    const labels2023 = new Float32Array(N); // BraTS 2023 ships seg as float32
    labels2023.fill(1, 0, 10);
    labels2023.fill(2, 10, 30);
    labels2023.fill(3, 30, 37);
    const { check } = await loadCase([...tinyCase(), { name: 'c-seg.nii.gz', bytes: niftiOf('c-seg.nii.gz', labels2023, GRID) }]);
    expect(check.issues).toEqual([]);
    const mri = check.mriCase!;
    expect(mri.labelConvention).toBe('brats2023');
    const internal = Array.from(mri.label!.data);
    expect(internal.filter((v) => v === 4)).toHaveLength(7);
    expect(internal.filter((v) => v === 3)).toHaveLength(0);
    expect(internal.slice(0, 40)).toEqual([...Array(10).fill(1), ...Array(20).fill(2), ...Array(7).fill(4), 0, 0, 0]);

    const labels2021 = Uint8Array.from(labels2023, (v) => (v === 3 ? 4 : v));
    const same = await loadCase([...tinyCase(), { name: 'c_seg.nii.gz', bytes: niftiOf('c_seg.nii.gz', labels2021, GRID) }]);
    expect(same.check.mriCase!.labelConvention).toBe('brats2021');
    expect(Array.from(same.check.mriCase!.label!.data)).toEqual(internal);
  });

  it('refuses a label map with both 3 and 4 (neither convention) and lists what it found', async () => {
    const labels = new Uint8Array(N);
    labels.fill(3, 0, 5);
    labels.fill(4, 5, 8);
    const { check } = await loadCase([...tinyCase(), { name: 'c_seg.nii.gz', bytes: niftiOf('c_seg.nii.gz', labels, GRID) }]);
    const issue = only(check.issues, 'label-values');
    expect(issue.message).toContain('holds both 3 (5 voxels) and 4 (3 voxels)');
    expect(issue.message).toContain('BraTS 2021 labels are 1 NCR, 2 ED, 4 ET; BraTS 2023+ labels are 1 NCR, 2 ED, 3 ET');
    expect(check.mriCase).toBeNull();
  });

  it('refuses an oblique grid with what to do', async () => {
    const t = (20 * Math.PI) / 180;
    const affine = [[-Math.cos(t), 0, Math.sin(t), 0], [0, -1, 0, 0], [Math.sin(t), 0, Math.cos(t), 0], [0, 0, 0, 1]];
    const oblique = (name: string) => {
      const template = createNiftiHeader({ name, dims: GRID.dims, spacingMm: [1, 1, 1], affine });
      return { name, bytes: writeNifti(template, new Int16Array(N).map((_, n) => (onBorder(n) ? 0 : 100 + (n % 7)))) };
    };
    const { check } = await loadCase(['c_t1.nii.gz', 'c_t1ce.nii.gz', 'c_t2.nii.gz', 'c_flair.nii.gz'].map(oblique));
    const issue = only(check.issues, 'oblique-grid');
    expect(issue.message).toMatch(/c_t1\.nii\.gz is stored on an oblique grid \(its voxel axes are 20\.0° off/);
    expect(check.mriCase).toBeNull();
  });

  it('refuses scans that are not on a 1 mm grid and says which preprocessing is needed', async () => {
    const raw = (name: string) => ({ name, bytes: niftiOf(name, new Int16Array(N).map((_, n) => (onBorder(n) ? 0 : 200)), { dims: GRID.dims, spacingMm: [0.9375, 0.9375, 5] }) });
    const { check } = await loadCase([raw('c_t1.nii.gz'), raw('c_t1ce.nii.gz'), raw('c_t2.nii.gz'), raw('c_flair.nii.gz')]);
    const issue = only(check.issues, 'not-1mm-grid');
    expect(issue.files).toEqual(['c_t1.nii.gz', 'c_t1ce.nii.gz', 'c_t2.nii.gz', 'c_flair.nii.gz']);
    expect(issue.message).toContain('Not on a 1 mm grid: c_t1.nii.gz (T1) has 0.938×0.938×5 mm voxels;');
    expect(issue.message).toContain('skull stripping');
    expect(issue.message).toContain('co-registration of the four modalities to one grid, and resampling to 1 × 1 × 1 mm voxels');
    expect(check.mriCase).toBeNull();
    // Within 5 % of 1 mm is the trained grid.
    const near = (name: string) => ({ name, bytes: niftiOf(name, new Int16Array(N).map((_, n) => (onBorder(n) ? 0 : 200 + (n % 7))), { dims: GRID.dims, spacingMm: [1.02, 0.98, 1] }) });
    const ok = await loadCase([near('c_t1.nii.gz'), near('c_t1ce.nii.gz'), near('c_t2.nii.gz'), near('c_flair.nii.gz')]);
    expect(ok.check.issues).toEqual([]);
  });

  it('refuses a raw scanner export that is not skull-stripped (noise up to the volume’s faces)', async () => {
    const inputs = tinyCase();
    // Air around the head is noise, never exactly 0.
    inputs[3] = { name: 'c_flair.nii.gz', bytes: niftiOf('c_flair.nii.gz', new Int16Array(N).map((_, n) => (onBorder(n) ? 3 + (n % 5) : 400)), GRID) };
    const { check } = await loadCase(inputs);
    const issue = only(check.issues, 'not-skull-stripped');
    expect(issue.files).toEqual(['c_flair.nii.gz']);
    expect(issue.message).toContain('Not skull-stripped: c_flair.nii.gz (FLAIR) is non-zero on 100 % of the volume\'s outer faces');
    expect(issue.message).toContain('skull stripping (e.g. HD-BET or FSL BET)');
  });

  it('accepts a skull-stripped brain cropped tightly to its box (it touches the faces only here and there)', async () => {
    const dims: [number, number, number] = [20, 24, 16];
    const brain = new Int16Array(20 * 24 * 16).map((_, n) => {
      const [i, j, k] = [n % 20, Math.floor(n / 20) % 24, Math.floor(n / 480)];
      const r = Math.hypot((2 * i + 1) / 20 - 1, (2 * j + 1) / 24 - 1, (2 * k + 1) / 16 - 1);
      return r <= 1 ? 100 + (n % 11) : 0;
    });
    const files = ['t1', 't1ce', 't2', 'flair'].map((m) => ({ name: `e_${m}.nii.gz`, bytes: niftiOf(`e_${m}.nii.gz`, brain, { dims }) }));
    const { check } = await loadCase(files);
    expect(check.issues).toEqual([]);
    expect(nonZeroBorderFraction(check.mriCase!.modalities.t1)).toBeGreaterThan(0);
    expect(nonZeroBorderFraction(check.mriCase!.modalities.t1)).toBeLessThan(0.5);
  });

  it('refuses a file too large to load by its size alone, without reading it, and keeps its row', async () => {
    const huge: RefusedFile = { name: 'c_t2.nii', sizeBytes: 3 * 1024 ** 3, issue: checkFileSize('c_t2.nii', 3 * 1024 ** 3)! };
    expect(checkFileSize('small.nii.gz', 20e6)).toBeNull();
    const { files, check } = await loadCase([...tinyCase().filter((f) => !f.name.includes('t2')), huge]);
    const issue = only(check.issues, 'too-large');
    expect(issue.message).toContain('c_t2.nii is 3.0 GiB, more than the 512 MiB one scan may use');
    expect(issue.message).toContain('check that this is one 3D scan (not a whole series)');
    expect(only(check.issues, 'missing-modality').message).toContain('T2 (c_t2.nii could not be read)');
    expect(files.find((f) => f.name === 'c_t2.nii')).toMatchObject({ sizeBytes: 3 * 1024 ** 3, role: 't2', volume: null });
  });

  it('says what happened to files dropped while a run is in progress', () => {
    const issue = droppedDuringRun(['a_t1.nii.gz', 'a_t2.nii.gz']);
    expect(issue.code).toBe('run-in-progress');
    expect(issue.message).toBe('2 files (a_t1.nii.gz, a_t2.nii.gz) were not loaded: a run is in progress on the current case. Wait for it to finish or press Cancel, then drop the files again.');
    expect(droppedDuringRun(['x.nii']).message).toMatch(/^x\.nii was not loaded/);
  });

  it('does not modify any dropped bytes', async () => {
    const inputs = Object.values(synthetic.files);
    const copies = inputs.map((f) => (f.bytes as Uint8Array).slice());
    await loadCase(inputs);
    inputs.forEach((f, n) => expect(f.bytes).toEqual(copies[n]));
  });
});
