import { NIFTI1 } from 'nifti-reader-js';
import type { NiftiTemplate } from './writeNifti.ts';

export interface NewGrid {
  name: string;
  dims: [number, number, number];
  spacingMm: [number, number, number];
  /** World position (mm) of voxel (0, 0, 0); default centres the grid on the origin. */
  originMm?: [number, number, number];
  description?: string;
}

/**
 * A fresh NIfTI-1 header for an axis-aligned grid (RAS+, both qform and sform set),
 * for volumes that have no source file: synthetic test cases and fixtures.
 */
export function createNiftiHeader(grid: NewGrid): NiftiTemplate {
  const [x, y, z] = grid.dims;
  const [dx, dy, dz] = grid.spacingMm;
  const origin = grid.originMm ?? [(-(x - 1) * dx) / 2, (-(y - 1) * dy) / 2, (-(z - 1) * dz) / 2];
  const h = new NIFTI1();
  h.littleEndian = true;
  h.dims = [3, x, y, z, 1, 1, 1, 1];
  h.pixDims = [1, dx, dy, dz, 0, 0, 0, 0]; // pixdim[0] = qfac = 1
  h.datatypeCode = 2;
  h.numBitsPerVoxel = 8;
  h.vox_offset = 352;
  h.scl_slope = 1;
  h.scl_inter = 0;
  h.xyzt_units = 2 | 8; // mm, seconds
  h.qform_code = 1;
  h.sform_code = 1;
  h.quatern_b = 0;
  h.quatern_c = 0;
  h.quatern_d = 0;
  h.qoffset_x = origin[0];
  h.qoffset_y = origin[1];
  h.qoffset_z = origin[2];
  h.affine = [
    [dx, 0, 0, origin[0]],
    [0, dy, 0, origin[1]],
    [0, 0, dz, origin[2]],
    [0, 0, 0, 1],
  ];
  h.description = (grid.description ?? 'Attune').slice(0, 79);
  h.magic = 'n+1';
  const headerBytes = new Uint8Array(h.toArrayBuffer(false)).slice(0, 348);
  // Re-read so the header object is exactly what a reader of the written file will see.
  const header = new NIFTI1();
  header.readHeader(headerBytes.slice().buffer as ArrayBuffer);
  return { name: grid.name, header, headerBytes, dims: [x, y, z] };
}
