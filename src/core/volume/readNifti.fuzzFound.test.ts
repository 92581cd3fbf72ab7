import { describe, expect, it } from 'vitest';
import { loadCase } from '../case/loadCase.ts';
import { InputError } from '../inputIssue.ts';
import { applyMutations, fuzzBases, fuzzFiles, NIFTI1_FIELDS, type FuzzCase } from '../testing/niftiFuzz.ts';
import { readNifti } from './readNifti.ts';

/**
 * Inputs the fuzzer (src/core/case/inputPath.fuzz.test.ts) found crashing or slipping
 * through, kept as regular tests with the seed and path that found them. Same bases as
 * the fuzzer without the optional real header, so these run everywhere.
 */
const bases = fuzzBases();
const field = (name: string) => NIFTI1_FIELDS.findIndex((f) => f.name === name);

async function refusal(c: FuzzCase): Promise<InputError> {
  const { target } = fuzzFiles(bases, c);
  const error = await readNifti(target.bytes, target.name).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('inputs found by fuzzing', () => {
  it('pixdim[1] = −Infinity (seed 20260214, path 135:0:4:9:2:2:2:4:4:7:2:3:3:4:4) is refused: no usable grid', async () => {
    // Before: read as a volume with spacing [Infinity, 1, 1]; with NaN it also passed the 1 mm check.
    const c: FuzzCase = { base: 0, target: 't1', mutations: [{ kind: 'field', field: field('pixdim[1]'), value: -Infinity, swapped: false }], packing: { kind: 'raw' } };
    const e = await refusal(c);
    expect(e.code).toBe('not-nifti');
    expect(e.message).toBe('Fuzz_nifti1-int16_t1.nii: the NIfTI header is damaged: its voxel size is not a finite number (Infinity × 1 × 1 mm), so the scan has no usable grid. Re-export the file.');
  });

  it('a NaN voxel size no longer passes the 1 mm and same-grid checks (every comparison with NaN is false)', async () => {
    const c: FuzzCase = { base: 0, target: 't2', mutations: [{ kind: 'field', field: field('pixdim[2]'), value: Number.NaN, swapped: false }], packing: { kind: 'gzip' } };
    const { files } = fuzzFiles(bases, c);
    const { check } = await loadCase(files);
    expect(check.mriCase).toBeNull();
    expect(check.issues.map((i) => i.code)).toEqual(['not-nifti', 'missing-modality']);
    expect(check.issues[0].message).toContain('its voxel size is not a finite number (1 × NaN × 1 mm)');
  });

  it('a NaN quaternion (qform preferred) is refused instead of giving a NaN affine', async () => {
    const mutations: FuzzCase['mutations'] = [
      { kind: 'field', field: field('sform_code'), value: 0, swapped: false },
      { kind: 'field', field: field('quatern_bcd[1]'), value: Number.NaN, swapped: false },
    ];
    const e = await refusal({ base: 0, target: 'flair', mutations, packing: { kind: 'raw' } });
    expect(e.message).toContain('its voxel-to-world matrix (qform/sform) holds non-finite values');
  });

  it('vox_offset = −0.5000000298 (seed 20260214, path 347:0:0:1:35:…) is refused, not a RangeError from the typed array', async () => {
    const c: FuzzCase = { base: 0, target: 't1', mutations: [{ kind: 'field', field: 1630389249, value: -0.5000000298023225, swapped: false }], packing: { kind: 'gzip' } };
    expect(NIFTI1_FIELDS[1630389249 % NIFTI1_FIELDS.length].name).toBe('vox_offset');
    const e = await refusal(c);
    expect(e.code).toBe('not-nifti');
    expect(e.message).toBe('Fuzz_nifti1-int16_t1.nii.gz: the NIfTI header is damaged: its voxel data offset (vox_offset = -0.5000000596046448) points inside the 348-byte header. Re-export the file.');
  });

  it('vox_offset = NaN or inside the header is refused the same way', async () => {
    for (const value of [Number.NaN, 0, 100]) {
      const e = await refusal({ base: 0, target: 't1', mutations: [{ kind: 'field', field: field('vox_offset'), value, swapped: false }], packing: { kind: 'raw' } });
      expect(e.message, String(value)).toContain(`its voxel data offset (vox_offset = ${value})`);
    }
  });

  it('the unmutated base still reads (the checks refuse only damaged headers)', async () => {
    const bytes = applyMutations(bases[0].files.t1, bases[0], []);
    const v = await readNifti(bytes, 't1.nii');
    expect(v.spacingMm).toEqual([1, 1, 1]);
  });
});
