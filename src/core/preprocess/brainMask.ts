import type { VoxelArray } from '../volume/index.ts';
import type { IndexRange } from './types.ts';

/** Brain mask = voxels where any modality is non-zero (§2.1). 1 inside, 0 outside. */
export function brainMask(channels: readonly VoxelArray[], voxelCount: number): Uint8Array {
  const mask = new Uint8Array(voxelCount);
  for (const values of channels) {
    for (let n = 0; n < voxelCount; n++) if (values[n] !== 0) mask[n] = 1;
  }
  return mask;
}

/** Inclusive bounding box of the mask's 1s, or null for an empty mask. */
export function maskBoundingBox(
  mask: Uint8Array,
  [x, y, z]: readonly [number, number, number],
): { i: IndexRange; j: IndexRange; k: IndexRange } | null {
  let i0 = x, i1 = -1, j0 = y, j1 = -1, k0 = z, k1 = -1;
  for (let k = 0, n = 0; k < z; k++) {
    for (let j = 0; j < y; j++) {
      for (let i = 0; i < x; i++, n++) {
        if (mask[n] === 0) continue;
        if (i < i0) i0 = i;
        if (i > i1) i1 = i;
        if (j < j0) j0 = j;
        if (j > j1) j1 = j;
        if (k < k0) k0 = k;
        if (k > k1) k1 = k;
      }
    }
  }
  return i1 < 0 ? null : { i: [i0, i1], j: [j0, j1], k: [k0, k1] };
}
