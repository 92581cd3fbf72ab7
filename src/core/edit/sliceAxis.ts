import type { Axis } from './brush.ts';

/**
 * The voxel axis that runs along a world axis (0 = x left–right, 1 = y back–front,
 * 2 = z foot–head) under a voxel-to-world affine: e.g. the axis an axial view holds fixed
 * is sliceAxis(affine, 2). Oblique grids take the closest axis.
 */
export function sliceAxis(affine: number[][], worldAxis: 0 | 1 | 2): Axis {
  const row = affine[worldAxis].slice(0, 3).map(Math.abs);
  return row.indexOf(Math.max(...row)) as Axis;
}
