import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CASE, DEMO_CASE_DIR } from '../../node/demoCase.ts';
import { labelVolumesOf } from '../metrics/index.ts';
import { preprocess, uncropLabels } from '../preprocess/index.ts';
import { readNifti, writeNifti } from '../volume/index.ts';
import { loadCase } from './loadCase.ts';

/** The bundled demo case (public/demo): a real BraTS 2021 case, present on every machine. */
const CASE = DEMO_CASE;
const caseDir = DEMO_CASE_DIR;

/** Index of the first differing element, or -1 (vitest's deep equality is too slow for 9M voxels). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return n;
  return -1;
}

describe(`a real BraTS case (${CASE}) through the app's loading path`, () => {
  const inputs = () =>
    ['flair', 'seg', 't1', 't1ce', 't2'].map((suffix) => {
      const name = `${CASE}_${suffix}.nii.gz`;
      return { name, bytes: new Uint8Array(readFileSync(resolve(caseDir, name))) };
    });

  it('loads with modalities auto-assigned, no issues, and the expert label detected', async () => {
    const { files, check } = await loadCase(inputs());
    expect(Object.fromEntries(files.map((f) => [f.name, f.role]))).toEqual({
      [`${CASE}_flair.nii.gz`]: 'flair',
      [`${CASE}_seg.nii.gz`]: 'seg',
      [`${CASE}_t1.nii.gz`]: 't1',
      [`${CASE}_t1ce.nii.gz`]: 't1ce',
      [`${CASE}_t2.nii.gz`]: 't2',
    });
    expect(check.issues).toEqual([]);
    const mri = check.mriCase!;
    expect(mri.modalities.t1.dims).toEqual([240, 240, 155]);
    expect(mri.modalities.t1.spacingMm).toEqual([1, 1, 1]);
    expect(mri.label).not.toBeNull();

    const volumes = labelVolumesOf(mri.label!);
    expect(volumes.map((v) => v.key)).toEqual(['NCR', 'ED', 'ET']);
    const total = volumes.reduce((a, v) => a + v.ml, 0);
    expect(total).toBeGreaterThan(1); // an expert-labelled glioma: several mL of tumour
    expect(volumes.find((v) => v.key === 'ED')!.ml).toBeGreaterThan(0);

    // The contract's preprocessing on real data: in-plane sizes are multiples of 16 and
    // the expert label survives crop + uncrop unchanged (it lies inside the brain).
    const pre = preprocess(mri.modalities);
    expect(pre.box.size[0] % 16).toBe(0);
    expect(pre.box.size[1] % 16).toBe(0);
    const [w, h, d] = pre.box.size;
    const [si, sj, sk] = pre.box.start;
    const seg = mri.label!.data;
    const cropped = new Uint8Array(d * h * w);
    for (let s = 0; s < d; s++)
      for (let row = 0; row < h; row++)
        for (let col = 0; col < w; col++) {
          const [i, j] = [si + col, sj + row];
          if (i >= 0 && i < 240 && j >= 0 && j < 240) cropped[(s * h + row) * w + col] = seg[i + 240 * (j + 240 * (sk + s))];
        }
    expect(firstDifference(uncropLabels(cropped, pre.box), seg)).toBe(-1);
  });

  it('writes a mask with the T1 header that reads back on the same grid', async () => {
    const t1 = await readNifti(readFileSync(resolve(caseDir, `${CASE}_t1.nii.gz`)), 't1');
    const segBytes = readFileSync(resolve(caseDir, `${CASE}_seg.nii.gz`));
    const seg = await readNifti(segBytes, 'seg');
    const written = await readNifti(writeNifti(t1, new Uint8Array(seg.data)), 'mask.nii.gz');
    expect(written.affine).toEqual(t1.affine);
    expect(written.dims).toEqual(t1.dims);
    expect(written.header.qform_code).toBe(t1.header.qform_code);
    expect(written.header.sform_code).toBe(t1.header.sform_code);
    expect(firstDifference(written.data, seg.data)).toBe(-1);
  });
});
