import { describe, expect, it } from 'vitest';
import { InputError } from '../inputIssue.ts';
import { reorientedCopy } from '../testing/reorientedCopy.ts';
import { createNiftiHeader, gridAffine, readNifti, writeNifti } from '../volume/index.ts';
import { axisCodes, orientationPlan, toCanonical, toInputGrid, type AxisCode } from './index.ts';

const BRATS_AFFINE = [[-1, 0, 0, 0], [0, -1, 0, 239], [0, 0, 1, 0], [0, 0, 0, 1]];

/** Every axis-aligned orientation: 6 axis orders × 8 directions. */
function allOrientations(): [AxisCode, AxisCode, AxisCode][] {
  const pairs: [AxisCode, AxisCode][] = [['R', 'L'], ['A', 'P'], ['S', 'I']];
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const out: [AxisCode, AxisCode, AxisCode][] = [];
  for (const o of orders) for (let s = 0; s < 8; s++) out.push(o.map((w, c) => pairs[w][(s >> c) & 1]) as [AxisCode, AxisCode, AxisCode]);
  return out;
}

describe('axisCodes / orientationPlan', () => {
  it('reads BraTS volumes as L, P, S: the identity plan', () => {
    expect(axisCodes(BRATS_AFFINE)!.map((a) => a.code)).toEqual(['L', 'P', 'S']);
    const plan = orientationPlan(BRATS_AFFINE, [240, 240, 155]);
    expect(plan.identity).toBe(true);
    expect(plan.dims).toEqual([240, 240, 155]);
  });

  it('RAS: flips i and j; S, R, A: a permutation with the slice axis first', () => {
    const ras = orientationPlan(gridAffine({ dims: [4, 5, 6], spacingMm: [1, 1, 1], axes: ['R', 'A', 'S'] }), [4, 5, 6]);
    expect(ras).toMatchObject({ inputAxes: ['R', 'A', 'S'], perm: [0, 1, 2], flip: [true, true, false], dims: [4, 5, 6], identity: false });
    const sra = orientationPlan(gridAffine({ dims: [6, 4, 5], spacingMm: [1, 1, 1], axes: ['S', 'R', 'A'] }), [6, 4, 5]);
    expect(sra).toMatchObject({ inputAxes: ['S', 'R', 'A'], perm: [1, 2, 0], flip: [true, true, false], dims: [4, 5, 6] });
  });

  it('accepts a grid within 1° of the axes and refuses an oblique one with a specific message', () => {
    const tilt = (deg: number) => {
      const t = (deg * Math.PI) / 180;
      return [[-Math.cos(t), 0, Math.sin(t), 0], [0, -1, 0, 0], [Math.sin(t), 0, Math.cos(t), 0], [0, 0, 0, 1]];
    };
    expect(orientationPlan(tilt(0.5), [4, 4, 4]).identity).toBe(true);
    try {
      orientationPlan(tilt(12), [4, 4, 4], 'oblique_t1.nii.gz');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('oblique-grid');
      expect((err as InputError).message).toMatch(/oblique_t1\.nii\.gz is stored on an oblique grid \(its voxel axes are 12\.0° off/);
      expect((err as InputError).message).toMatch(/resample/);
    }
    // Two voxel axes along one world axis: no permutation describes it.
    expect(() => orientationPlan([[1, 0, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]], [4, 4, 4])).toThrow(InputError);
  });
});

describe('toCanonical / toInputGrid', () => {
  const dims: [number, number, number] = [5, 4, 3];
  const n = dims[0] * dims[1] * dims[2];
  const data = Int16Array.from({ length: n }, (_, v) => v * 7 - 100);

  it.each(allOrientations())('%s%s%s re-saved copy comes back to the canonical voxels exactly, and back again', async (...axes) => {
    const template = createNiftiHeader({ name: 'c.nii', dims, spacingMm: [1, 1.5, 2] });
    const canonical = await readNifti(writeNifti(template, data, { gzip: false }), 'c.nii');
    const copy = await readNifti(reorientedCopy(canonical, axes, 'r.nii'), 'r.nii');
    expect(axisCodes(copy.affine)!.map((a) => a.code)).toEqual(axes);
    const plan = orientationPlan(copy.affine, copy.dims);
    expect(plan.dims).toEqual(dims);
    const back = toCanonical(copy.data as Int16Array, plan);
    expect(Array.from(back)).toEqual(Array.from(data));
    expect(Array.from(toInputGrid(back, plan))).toEqual(Array.from(copy.data));
  });

  it('the identity plan costs nothing: the same array comes back', () => {
    const plan = orientationPlan(BRATS_AFFINE, dims);
    expect(toCanonical(data, plan)).toBe(data);
    expect(toInputGrid(data, plan)).toBe(data);
  });
});

describe('createNiftiHeader qform', () => {
  it.each([['L', 'P', 'S'], ['R', 'A', 'S'], ['S', 'R', 'A'], ['P', 'I', 'L'], ['A', 'L', 'I']] as [AxisCode, AxisCode, AxisCode][])(
    'the quaternion of %s%s%s describes the same matrix as the sform',
    async (...axes) => {
      const affine = gridAffine({ dims: [4, 5, 6], spacingMm: [1, 2, 3], axes });
      const template = createNiftiHeader({ name: 'q.nii', dims: [4, 5, 6], spacingMm: [1, 2, 3], affine });
      // Drop the sform (int16 at byte 254): the reader must rebuild the matrix from the qform alone.
      new DataView(template.headerBytes.buffer, template.headerBytes.byteOffset).setInt16(254, 0, true);
      const bytes = writeNifti(template, new Uint8Array(120), { gzip: false });
      const back = await readNifti(bytes, 'q.nii');
      expect(back.header.sform_code).toBe(0);
      back.affine.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(affine[r][c], 5)));
    },
  );
});
