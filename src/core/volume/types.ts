import type { NIFTI1, NIFTI2 } from 'nifti-reader-js';

/** Typed arrays a NIfTI voxel buffer can be read into (native endianness). */
export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export type NiftiHeader = NIFTI1 | NIFTI2;

/** A 3D NIfTI volume as read from a file; nothing in it aliases the caller's bytes. */
export interface NiftiVolume {
  /** File name it came from (for messages). */
  name: string;
  /**
   * The parsed source header (nifti-reader-js object). Treat as read-only: writeNifti
   * clones it, so a mask written later carries the same orientation and spacing.
   */
  header: NiftiHeader;
  /** The raw header bytes as found in the file (a private copy), for a faithful rewrite. */
  headerBytes: Uint8Array;
  /** Voxel counts [X, Y, Z]; voxel (i, j, k) is at data[i + X*(j + Y*k)]. */
  dims: [number, number, number];
  /** Voxel size in millimetres (pixdim[1..3] converted from the header's spatial unit). */
  spacingMm: [number, number, number];
  /** 4×4 voxel-index → world (mm) matrix, as chosen by the header (sform or qform). */
  affine: number[][];
  /** NIfTI datatype code of the stored voxels. */
  datatype: number;
  /** Stored voxel values (before scl_slope/scl_inter), little-endian native order. */
  data: VoxelArray;
  /** Linear scaling to physical values; identity when the header's slope is 0/NaN. */
  scaling: { slope: number; inter: number };
}
