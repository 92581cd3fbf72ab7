import { applyToPoint, type Mat4, type Vec3 } from '../matrix.ts';
import type { Grid, ScalarVolume } from '../types.ts';

/**
 * A smooth, asymmetric "brain" defined in world coordinates (mm, centred on the origin):
 * an ellipsoid with four blobs at different places and strengths, so every rotation and
 * translation changes the image (a sphere would hide rotations). Tests only.
 */
export function headPhantomValue([x, y, z]: readonly number[], contrast = 1): number {
  const e = (x / 55) ** 2 + (y / 65) ** 2 + (z / 50) ** 2;
  if (e > 1) return 0;
  const blob = (c: Vec3, r: number, a: number) => a * Math.exp(-((x - c[0]) ** 2 + (y - c[1]) ** 2 + (z - c[2]) ** 2) / (r * r));
  return 40 + 20 * (1 - e) + contrast * (blob([20, 10, 5], 10, 60) + blob([-15, -25, 15], 8, 40) + blob([5, 30, -20], 12, -30)) + blob([-25, 15, -10], 6, 50);
}

/** f sampled at each voxel's world position of a grid. */
export function sampleOnGrid(grid: Grid, f: (p: Vec3) => number): Float32Array {
  const [X, Y, Z] = grid.dims;
  const out = new Float32Array(X * Y * Z);
  for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) out[i + X * (j + Y * k)] = f(applyToPoint(grid.affine, [i, j, k]));
  return out;
}

/**
 * The phantom as a scanner placed by `seriesToHead` would record it on `grid`: the value at
 * series world point q is the phantom's at seriesToHead(q). Registering a phantom on the
 * head's own frame (fixed) to this series (moving) must return seriesToHead⁻¹.
 */
export function phantomSeries(grid: Grid, seriesToHead: Mat4, contrast = 1): ScalarVolume {
  return { grid, values: sampleOnGrid(grid, (q) => headPhantomValue(applyToPoint(seriesToHead, q), contrast)) };
}
