import { multiply4, type Mat4 } from './matrix.ts';
import { checkValues, spacingOf } from './grid.ts';
import type { ScalarVolume } from './types.ts';

/** Integer block factor per axis that brings a spacing up to about `targetMm` (at least 1). */
export function blockFactors(spacingMm: readonly number[], targetMm: number): [number, number, number] {
  return spacingMm.map((s) => Math.max(1, Math.round(targetMm / s))) as [number, number, number];
}

/**
 * Block-averages a volume by integer factors (a partial block at the far edge is dropped).
 * The new voxel (i, j, k) is the mean of source voxels f·i … f·i + f − 1, so its centre
 * sits at source index f·i + (f − 1)/2: the affine says so, and the smaller image stays in
 * the same physical place (what registration needs). Registering 2 mm copies instead of
 * 0.5–1 mm originals cuts elastix's time and memory; a rigid map is found to well under a
 * voxel either way (measured, see README).
 */
export function blockAverage(volume: ScalarVolume, factors: readonly [number, number, number]): ScalarVolume {
  checkValues(volume, 'blockAverage');
  const [fx, fy, fz] = factors;
  if (fx === 1 && fy === 1 && fz === 1) return volume;
  const [X, Y] = volume.grid.dims;
  const dims = volume.grid.dims.map((d, a) => Math.max(1, Math.floor(d / factors[a]))) as [number, number, number];
  const [x2, y2, z2] = dims;
  const out = new Float32Array(x2 * y2 * z2);
  const v = volume.values;
  const inv = 1 / (fx * fy * fz);
  for (let k = 0; k < z2; k++) for (let j = 0; j < y2; j++) for (let i = 0; i < x2; i++) {
    let sum = 0;
    for (let c = 0; c < fz; c++) for (let b = 0; b < fy; b++) {
      const row = fx * i + X * (fy * j + b + Y * (fz * k + c));
      for (let a = 0; a < fx; a++) sum += v[row + a];
    }
    out[i + x2 * (j + y2 * k)] = sum * inv;
  }
  const scale: Mat4 = [[fx, 0, 0, (fx - 1) / 2], [0, fy, 0, (fy - 1) / 2], [0, 0, fz, (fz - 1) / 2], [0, 0, 0, 1]];
  return { grid: { dims, affine: multiply4(volume.grid.affine, scale) }, values: out };
}

/** A copy for registration with voxels of about `targetMm` (thick slices stay as they are). */
export function downsampleForRegistration(volume: ScalarVolume, targetMm: number): ScalarVolume {
  return blockAverage(volume, blockFactors(spacingOf(volume.grid), targetMm));
}
