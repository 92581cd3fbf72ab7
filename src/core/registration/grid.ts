import { physicalValues, type NiftiVolume } from '../volume/index.ts';
import type { Grid, ScalarVolume } from './types.ts';
import type { Mat4 } from './matrix.ts';

/** The grid of a NIfTI volume (its dims and chosen voxel → world affine). */
export function gridOf(volume: Pick<NiftiVolume, 'dims' | 'affine'>): Grid {
  return { dims: [...volume.dims] as Grid['dims'], affine: volume.affine.map((row) => [...row]) };
}

/** A NIfTI volume's physical values (scl_slope applied) as float32 on its own grid. */
export function scalarVolumeOf(volume: NiftiVolume): ScalarVolume {
  return { grid: gridOf(volume), values: Float32Array.from(physicalValues(volume)) };
}

/** Voxel size (mm) along each voxel axis: the affine's column norms. */
export function spacingOf(grid: Grid): [number, number, number] {
  return [0, 1, 2].map((c) => Math.hypot(grid.affine[0][c], grid.affine[1][c], grid.affine[2][c])) as [number, number, number];
}

/** Volume of one voxel in mL: |det| of the affine's 3×3 part / 1000 (right for oblique grids too). */
export function voxelMl(grid: Grid): number {
  const [a, b, c] = grid.affine;
  const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
  return Math.abs(det) / 1000;
}

/**
 * The BraTS / SRI24 grid: 240×240×155, 1 mm, stored as BraTS files store it (voxel axes
 * L, P, S; voxel (0, 0, 0) at world (0, 239, 0)). SRI24's own files (LAS, origin 0) hold
 * the same voxel centres with y stored the other way, so images on either overlay exactly.
 */
export function bratsAtlasGrid(): Grid {
  const affine: Mat4 = [[-1, 0, 0, 0], [0, -1, 0, 239], [0, 0, 1, 0], [0, 0, 0, 1]];
  return { dims: [240, 240, 155], affine };
}

/** Index of voxel (i, j, k) in a grid's value array. */
export function voxelIndex(grid: Grid, i: number, j: number, k: number): number {
  return i + grid.dims[0] * (j + grid.dims[1] * k);
}

export function voxelCount(grid: Grid): number {
  return grid.dims[0] * grid.dims[1] * grid.dims[2];
}

export function checkValues(volume: ScalarVolume, what: string): void {
  if (volume.values.length !== voxelCount(volume.grid)) {
    throw new Error(`${what}: ${volume.values.length} values for a ${volume.grid.dims.join('×')} grid`);
  }
}
