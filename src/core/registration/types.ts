import type { Mat4 } from './matrix.ts';

/**
 * A voxel grid in NIfTI's RAS+ world: voxel (i, j, k) is at `affine · [i, j, k, 1]` (mm).
 * The affine may be oblique (scanner grids are); nothing here assumes axis alignment.
 */
export interface Grid {
  dims: [number, number, number];
  affine: Mat4;
}

/** Intensities on a grid (i fastest), as float32: what registration and resampling work on. */
export interface ScalarVolume {
  grid: Grid;
  values: Float32Array;
}

/**
 * A rigid (or any affine) map between two worlds, as a matrix that takes a point of the
 * `from` world (RAS mm) to the `to` world. Registration returns fixed → moving maps: to
 * resample a moving image onto the fixed grid, each fixed point is looked up in the moving one.
 */
export type WorldMap = Mat4;
