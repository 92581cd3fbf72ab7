import { uniformStream } from './seed.ts';
import type { ShiftStep, StepContext } from './types.ts';

/** Slices per thick slice on this grid: round(thickness / z spacing), at least 1. */
export function slicesPerBlock(thicknessMm: number, zSpacingMm: number): number {
  return Math.max(1, Math.round(thicknessMm / zSpacingMm));
}

/**
 * A thick-slice (2D clinical) acquisition resampled back to the fine grid: the z axis is
 * cut into blocks of k slices (at a random phase), each block is averaged over the brain
 * (partial-volume mixing along z), and every slice is linearly interpolated between the
 * two nearest block centres, as a resampling to the atlas grid would do. In-plane
 * resolution is untouched.
 */
export function applyThickSlices(values: Float64Array, step: Extract<ShiftStep, { kind: 'thickSlices' }>, ctx: StepContext): Float64Array {
  const [X, Y, Z] = ctx.grid.dims;
  const k = slicesPerBlock(step.thicknessMm, ctx.grid.spacingMm[2]);
  const out = values.slice();
  if (k === 1 || Z < 2) return out;
  const phase = Math.floor(uniformStream(step.seed)() * k);
  // Block b covers slices [start_b, end_b), clipped to the volume.
  const starts: number[] = [];
  for (let s = phase - k; s < Z; s += k) if (s + k > 0) starts.push(Math.max(0, s));
  const ends = starts.map((_, b) => (b + 1 < starts.length ? starts[b + 1] : Z));
  const centres = starts.map((s, b) => (s + ends[b] - 1) / 2);
  const plane = X * Y;
  const blockMean = new Float64Array(starts.length * plane).fill(NaN);
  for (let b = 0; b < starts.length; b++) {
    for (let p = 0; p < plane; p++) {
      let sum = 0;
      let count = 0;
      for (let z = starts[b]; z < ends[b]; z++) {
        const n = p + plane * z;
        if (ctx.support[n]) (sum += values[n]), count++;
      }
      if (count > 0) blockMean[b * plane + p] = sum / count;
    }
  }
  for (let z = 0, b = 0; z < Z; z++) {
    while (b + 1 < centres.length && centres[b + 1] <= z) b++;
    // Interpolate between block b (centre ≤ z, or the first) and b + 1.
    const lo = centres[b] <= z ? b : Math.max(0, b - 1);
    const hi = Math.min(lo + 1, centres.length - 1);
    const t = hi === lo ? 0 : Math.min(1, Math.max(0, (z - centres[lo]) / (centres[hi] - centres[lo])));
    for (let p = 0; p < plane; p++) {
      const n = p + plane * z;
      if (!ctx.support[n]) continue;
      const a = blockMean[lo * plane + p];
      const c = blockMean[hi * plane + p];
      // A block with no brain at this (i, j) falls back to its neighbour.
      out[n] = Number.isNaN(a) ? c : Number.isNaN(c) ? a : a + t * (c - a);
    }
  }
  return out;
}
