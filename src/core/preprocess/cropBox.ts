import type { CropBox, IndexRange } from './types.ts';

/** In-plane sizes are multiples of this so four stride-2 down-samplings divide evenly. */
export const IN_PLANE_MULTIPLE = 16;

/**
 * Pads an inclusive range [first, last] to a multiple of 16 voxels (§2.3):
 * n' = 16·ceil(n/16), before = floor((n' − n)/2); returns [start, n'].
 */
export function padRange([first, last]: IndexRange, multiple = IN_PLANE_MULTIPLE): [number, number] {
  const n = last - first + 1;
  const padded = multiple * Math.ceil(n / multiple);
  const before = Math.floor((padded - n) / 2);
  return [first - before, padded];
}

/** The cropped box of §2.3: brain bounding box, padded in-plane (i, j) only, not in k. */
export function cropBoxFor(dims: [number, number, number], brain: CropBox['brain']): CropBox {
  const [si, w] = padRange(brain.i);
  const [sj, h] = padRange(brain.j);
  const [k0, k1] = brain.k;
  return { dims, brain, start: [si, sj, k0], size: [w, h, k1 - k0 + 1] };
}
