import { NIFTI1 } from 'nifti-reader-js';
import { axisDirection, type AxisCode } from '../orientation/index.ts';
import { quaternionOf } from './quaternion.ts';
import type { NiftiTemplate } from './writeNifti.ts';

export interface NewGrid {
  name: string;
  dims: [number, number, number];
  spacingMm: [number, number, number];
  /**
   * Where each voxel axis points (RAS+ world): default L, P, S — the way BraTS stores its
   * volumes, so synthetic cases look like real ones to the model.
   */
  axes?: [AxisCode, AxisCode, AxisCode];
  /** World position (mm) of voxel (0, 0, 0); default centres the grid on the origin. */
  originMm?: [number, number, number];
  /**
   * A full voxel → world matrix (4×4) instead of `axes`/`spacingMm`/`originMm`: e.g. a real
   * scan re-saved in another orientation, or an oblique grid. Its column norms must match
   * `spacingMm`.
   */
  affine?: number[][];
  description?: string;
}


/** The voxel → world matrix of an axis-aligned grid with these axes, spacing and origin. */
export function gridAffine(grid: Pick<NewGrid, 'dims' | 'spacingMm' | 'axes' | 'originMm'>): number[][] {
  const axes = grid.axes ?? ['L', 'P', 'S'];
  const m = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]];
  axes.forEach((code, c) => {
    const [w, sign] = axisDirection(code);
    m[w][c] = sign * grid.spacingMm[c];
  });
  const origin = grid.originMm ?? [0, 1, 2].map((r) => -[0, 1, 2].reduce((s, c) => s + m[r][c] * (grid.dims[c] - 1) / 2, 0));
  for (let r = 0; r < 3; r++) m[r][3] = origin[r];
  return m;
}

/**
 * A fresh NIfTI-1 header (qform and sform both set to the same matrix, as FSL and
 * dcm2niix write them), for volumes that have no source file: synthetic test cases,
 * fixtures, and real scans re-saved in another orientation for tests.
 */
export function createNiftiHeader(grid: NewGrid): NiftiTemplate {
  const [x, y, z] = grid.dims;
  const [dx, dy, dz] = grid.spacingMm;
  const affine = grid.affine ? grid.affine.map((row) => [...row]) : gridAffine(grid);
  const q = quaternionOf(affine);
  const h = new NIFTI1();
  h.littleEndian = true;
  h.dims = [3, x, y, z, 1, 1, 1, 1];
  h.pixDims = [q.qfac, dx, dy, dz, 0, 0, 0, 0];
  h.datatypeCode = 2;
  h.numBitsPerVoxel = 8;
  h.vox_offset = 352;
  h.scl_slope = 1;
  h.scl_inter = 0;
  h.xyzt_units = 2 | 8; // mm, seconds
  h.qform_code = 1;
  h.sform_code = 1;
  h.quatern_b = q.b;
  h.quatern_c = q.c;
  h.quatern_d = q.d;
  h.qoffset_x = affine[0][3];
  h.qoffset_y = affine[1][3];
  h.qoffset_z = affine[2][3];
  h.affine = affine;
  h.description = (grid.description ?? 'Attune').slice(0, 79);
  h.magic = 'n+1';
  const headerBytes = new Uint8Array(h.toArrayBuffer(false)).slice(0, 348);
  // Re-read so the header object is exactly what a reader of the written file will see.
  const header = new NIFTI1();
  header.readHeader(headerBytes.slice().buffer as ArrayBuffer);
  return { name: grid.name, header, headerBytes, dims: [x, y, z] };
}
