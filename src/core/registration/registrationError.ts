import { applyToPoint, type Vec3 } from './matrix.ts';
import type { Grid, WorldMap } from './types.ts';

/**
 * World positions (mm) of the set voxels of a mask, every `step` voxels along each axis:
 * the points a registration error is averaged over (the brain, not the empty field of view).
 */
export function maskPoints(mask: ArrayLike<number>, grid: Grid, step = 2): Vec3[] {
  const [X, Y, Z] = grid.dims;
  const points: Vec3[] = [];
  for (let k = 0; k < Z; k += step) for (let j = 0; j < Y; j += step) for (let i = 0; i < X; i += step) {
    if (mask[i + X * (j + Y * k)]) points.push(applyToPoint(grid.affine, [i, j, k]));
  }
  return points;
}

/** The 8 corners (world mm) of the voxel bounding box of a mask's set voxels. */
export function boxCorners(mask: ArrayLike<number>, grid: Grid): Vec3[] {
  const [X, Y, Z] = grid.dims;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) {
    if (!mask[i + X * (j + Y * k)]) continue;
    [i, j, k].forEach((v, a) => ((lo[a] = Math.min(lo[a], v)), (hi[a] = Math.max(hi[a], v))));
  }
  if (lo[0] === Infinity) return [];
  const corners: Vec3[] = [];
  for (const i of [lo[0], hi[0]]) for (const j of [lo[1], hi[1]]) for (const k of [lo[2], hi[2]]) corners.push(applyToPoint(grid.affine, [i, j, k]));
  return corners;
}

export interface DisplacementStats {
  meanMm: number;
  maxMm: number;
}

/** How far apart two maps put the same points: mean and max of |a(p) − b(p)| (mm). */
export function displacement(a: WorldMap, b: WorldMap, points: readonly Vec3[]): DisplacementStats {
  if (points.length === 0) throw new Error('displacement: no points to measure on');
  let sum = 0, max = 0;
  for (const p of points) {
    const [x, y, z] = applyToPoint(a, p);
    const [u, v, w] = applyToPoint(b, p);
    const d = Math.hypot(x - u, y - v, z - w);
    sum += d;
    max = Math.max(max, d);
  }
  return { meanMm: sum / points.length, maxMm: max };
}
