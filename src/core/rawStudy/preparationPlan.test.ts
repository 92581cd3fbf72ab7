import { describe, expect, it } from 'vitest';
import { loadCase } from '../case/index.ts';
import type { InputIssue } from '../inputIssue.ts';
import { niftiOf } from '../testing/niftiFixtures.ts';
import { checkSameGrid } from '../validation/index.ts';
import { readNifti } from '../volume/index.ts';
import { needsRawPipeline, RAW_STUDY_CODES } from './needsRawPipeline.ts';
import { issueFinding, preparationPlan } from './preparationPlan.ts';
import { strippedRawPhantomFiles } from './testing/rawPhantomFormats.ts';
import { rawPhantomStudy } from './testing/rawPhantomStudy.ts';

/** Words that tell the user to go and preprocess elsewhere: what preparing here replaces. */
const ADVICE = /Preprocess the scans first|drop them again|before dropping|must be co-registered|must share one voxel grid|resample the case|Attune expects/;

describe('preparationPlan: the raw-study refusals as what preparing will do', () => {
  it('the raw phantom: every refusal lands under the step that resolves it, as its facts without the advice', async () => {
    const { check, files } = await loadCase(rawPhantomStudy().files);
    expect(needsRawPipeline(check.issues, files)).toBe(true);
    const plan = preparationPlan(check.issues, { alreadyStripped: false });
    expect(plan.map((s) => s.id)).toEqual(['strip', 'register', 'resample']);
    expect(plan[0]).toMatchObject({ title: 'Skull strip', does: 'MindGrab finds the brain on the T1Gd, on its own grid.' });
    expect(plan[2].does).toContain('240×240×155 grid of 1 mm voxels');
    const codes = (id: string) => plan.find((s) => s.id === id)!.resolves.map((r) => r.code);
    expect(codes('strip')).toEqual(['not-skull-stripped']);
    expect(codes('register')).toEqual(['dims-mismatch', 'dims-mismatch', 'dims-mismatch']);
    expect(codes('resample')).toEqual(['not-1mm-grid', 'oblique-grid']);
    const errors = check.issues.filter((i) => i.severity === 'error');
    expect(plan.flatMap((s) => s.resolves)).toHaveLength(errors.length);
    for (const r of plan.flatMap((s) => s.resolves)) expect(r.found).not.toMatch(ADVICE);
    const found = plan.flatMap((s) => s.resolves.map((r) => r.found));
    expect(found).toContain('Not on a 1 mm grid: phantom_t1ce.nii.gz (T1Gd) has 2.5×2.5×5 mm voxels; phantom_t1.nii.gz (T1) has 2.6×2.6×5 mm voxels; phantom_t2.nii.gz (T2) has 2.7×2.7×5 mm voxels; phantom_flair.nii.gz (FLAIR) has 2.6×2.6×5.5 mm voxels.');
    expect(found).toContain("phantom_t1.nii.gz is stored on an oblique grid (its voxel axes are 4.5° off the scanner's axes).");
    expect(found).toContain('phantom_t1ce.nii.gz (T1Gd) is 76×84×38 voxels but phantom_t1.nii.gz (T1) is 74×82×36.');
    // Each finding keeps the files it names.
    expect(plan[0].resolves[0].files).toEqual(['phantom_t1ce.nii.gz', 'phantom_t1.nii.gz', 'phantom_t2.nii.gz', 'phantom_flair.nii.gz']);
  });

  it('an already stripped study: no skull strip, and nothing for it to resolve', async () => {
    const { check } = await loadCase(await strippedRawPhantomFiles(rawPhantomStudy()));
    const plan = preparationPlan(check.issues, { alreadyStripped: true });
    expect(plan[0].title).toBe('No skull strip');
    expect(plan[0].does).toMatch(/^the T1Gd is already skull-stripped/);
    expect(plan[0].resolves).toEqual([]);
    expect(plan[2].resolves.map((r) => r.code)).toContain('not-1mm-grid');
  });

  it('spacing and placement mismatches lose their advice too; warnings and other codes are not steps', async () => {
    const data = new Int16Array(8 * 8 * 6).fill(1);
    const a = await readNifti(niftiOf('a_t1.nii.gz', data), 'a_t1.nii.gz');
    const b = await readNifti(niftiOf('b_t2.nii.gz', data, { spacingMm: [1, 1, 1.5] }), 'b_t2.nii.gz');
    const c = await readNifti(niftiOf('c_flair.nii.gz', data, { originMm: [3, 0, 0] }), 'c_flair.nii.gz');
    const issues = checkSameGrid({ role: 't1', volume: a }, [{ role: 't2', volume: b }, { role: 'flair', volume: c }]);
    expect(issues.map((i) => i.code)).toEqual(['spacing-mismatch', 'affine-mismatch']);
    for (const i of issues) {
      expect(i.message).toMatch(ADVICE);
      expect(issueFinding(i)).not.toMatch(ADVICE);
      expect(issueFinding(i)).toMatch(/^[bc]_\w+\.nii\.gz \(\w+\) (has|is placed)/);
    }
    const other: InputIssue[] = [
      { code: 'not-1mm-grid', severity: 'warning', files: [], message: 'a warning' },
      { code: 'missing-modality', severity: 'error', files: [], message: 'Missing modality: FLAIR.' },
    ];
    expect(preparationPlan([...issues, ...other], { alreadyStripped: false }).flatMap((s) => s.resolves.map((r) => r.code))).toEqual(['spacing-mismatch', 'affine-mismatch']);
  });

  it('every raw-study refusal has a step (a new code in RAW_STUDY_CODES must say which step resolves it)', () => {
    for (const code of RAW_STUDY_CODES) {
      const plan = preparationPlan([{ code, severity: 'error', files: ['x.nii'], message: `${code}.` }], { alreadyStripped: false });
      expect(plan.flatMap((s) => s.resolves).map((r) => r.code), code).toEqual([code]);
    }
  });
});
