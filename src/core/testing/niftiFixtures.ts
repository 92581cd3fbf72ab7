import { NIFTI1 } from 'nifti-reader-js';
import { createNiftiHeader, writeNifti, type VoxelArray } from '../volume/index.ts';

export interface GridSpec {
  dims?: [number, number, number];
  spacingMm?: [number, number, number];
  originMm?: [number, number, number];
}

/** A regular .nii(.gz) holding `data` on a grid, via the production writer. */
export function niftiOf(name: string, data: VoxelArray, grid: GridSpec = {}, gzip = true): Uint8Array {
  const dims = grid.dims ?? [8, 8, 6];
  const template = createNiftiHeader({ name, dims, spacingMm: grid.spacingMm ?? [1, 1, 1], originMm: grid.originMm });
  return writeNifti(template, data, { gzip });
}

export interface RawNiftiSpec {
  /** NIfTI dim[0..7]. */
  dim: number[];
  datatype: number;
  bitsPerVoxel: number;
  littleEndian?: boolean;
  /** Raw voxel bytes exactly as they should appear after the header. */
  voxelBytes: Uint8Array;
  sclSlope?: number;
  sclInter?: number;
}

/**
 * An uncompressed .nii with an arbitrary header, for shapes and encodings the writer
 * refuses to make (several volumes, 2D, big-endian, RGB …).
 */
export function rawNifti(spec: RawNiftiSpec): Uint8Array {
  const h = new NIFTI1();
  h.littleEndian = spec.littleEndian ?? true;
  h.dims = [...spec.dim, 1, 1, 1, 1, 1, 1, 1, 1].slice(0, 8);
  h.pixDims = [1, 1, 1, 1, 1, 0, 0, 0];
  h.datatypeCode = spec.datatype;
  h.numBitsPerVoxel = spec.bitsPerVoxel;
  h.vox_offset = 352;
  h.scl_slope = spec.sclSlope ?? 1;
  h.scl_inter = spec.sclInter ?? 0;
  h.xyzt_units = 2;
  h.sform_code = 1;
  h.affine = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  h.magic = 'n+1';
  const header = new Uint8Array(h.toArrayBuffer(false));
  const out = new Uint8Array(header.length + spec.voxelBytes.length);
  out.set(header);
  out.set(spec.voxelBytes, header.length);
  return out;
}

/** Bytes of a typed array (native little-endian). */
export function bytesOf(data: VoxelArray): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}
