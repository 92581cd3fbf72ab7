import { maskBoundingBox } from '../preprocess/brainMask.ts';
import type { Grid, ShiftStep, StepContext } from './types.ts';

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.log(2));

/** Normalised 1D Gaussian taps for a standard deviation in voxels (radius 3σ). */
export function gaussianKernel(sigmaVoxels: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigmaVoxels));
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) sum += taps[t + radius] = Math.exp((-0.5 * t * t) / (sigmaVoxels * sigmaVoxels));
  for (let t = 0; t < taps.length; t++) taps[t] /= sum;
  return taps;
}

/** Convolves along one axis (0 = i, 1 = j, 2 = k) with zero padding; returns a new array. */
export function convolveAxis(src: Float64Array, dims: Grid['dims'], axis: 0 | 1 | 2, taps: Float64Array): Float64Array {
  const [X, Y, Z] = dims;
  const size = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? X : X * Y;
  const radius = (taps.length - 1) / 2;
  const out = new Float64Array(src.length);
  for (let k = 0, n = 0; k < Z; k++) {
    for (let j = 0; j < Y; j++) {
      for (let i = 0; i < X; i++, n++) {
        const at = axis === 0 ? i : axis === 1 ? j : k;
        const lo = Math.max(-radius, -at);
        const hi = Math.min(radius, size - 1 - at);
        let acc = 0;
        for (let t = lo; t <= hi; t++) acc += taps[t + radius] * src[n + t * stride];
        out[n] = acc;
      }
    }
  }
  return out;
}

/**
 * Gaussian blur restricted to the brain (normalised convolution: blur(x·m) / blur(m)), so
 * the skull-stripped zeros around the brain do not darken its edge; a lower-resolution
 * acquisition would have had tissue there, not zeros.
 */
export function applyBlur(values: Float64Array, step: Extract<ShiftStep, { kind: 'blur' }>, ctx: StepContext): Float64Array {
  const { dims, spacingMm } = ctx.grid;
  const out = values.slice();
  const box = supportBox(ctx.support, dims);
  if (!box) return out;
  // Outside the brain's bounding box x·m and m are 0, so blurring the box alone (zero
  // padded) gives the same numbers as blurring the whole grid, in a fraction of the time.
  const [x0, y0, z0] = box.from;
  const boxDims = box.dims;
  const [BX, BY, BZ] = boxDims;
  const [X, Y] = dims;
  let num: Float64Array = new Float64Array(BX * BY * BZ);
  let den: Float64Array = new Float64Array(BX * BY * BZ);
  for (let k = 0, b = 0; k < BZ; k++) {
    for (let j = 0; j < BY; j++) {
      for (let i = 0, n = x0 + X * (y0 + j + Y * (z0 + k)); i < BX; i++, b++, n++) {
        if (ctx.support[n]) (num[b] = values[n]), (den[b] = 1);
      }
    }
  }
  for (const axis of [0, 1, 2] as const) {
    const sigma = step.fwhmMm / FWHM_PER_SIGMA / spacingMm[axis];
    if (!(sigma >= 0.1) || boxDims[axis] < 2) continue;
    const taps = gaussianKernel(sigma);
    num = convolveAxis(num, boxDims, axis, taps);
    den = convolveAxis(den, boxDims, axis, taps);
  }
  for (let k = 0, b = 0; k < BZ; k++) {
    for (let j = 0; j < BY; j++) {
      for (let i = 0, n = x0 + X * (y0 + j + Y * (z0 + k)); i < BX; i++, b++, n++) {
        if (ctx.support[n]) out[n] = num[b] / den[b];
      }
    }
  }
  return out;
}

/** Inclusive-exclusive bounding box of the support's 1s, or null when it is empty. */
function supportBox(support: Uint8Array, dims: Grid['dims']): { from: [number, number, number]; dims: [number, number, number] } | null {
  const b = maskBoundingBox(support, dims);
  return b && { from: [b.i[0], b.j[0], b.k[0]], dims: [b.i[1] - b.i[0] + 1, b.j[1] - b.j[0] + 1, b.k[1] - b.k[0] + 1] };
}
