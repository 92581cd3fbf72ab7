import type { VoxelArray } from '../volume/index.ts';

/**
 * Mean voxel index (i, j, k) of all non-zero labels, rounded — where the viewer puts its
 * crosshair so all three planes cut through the tumour. Null when there is no label.
 */
export function labelCentroid(labels: VoxelArray, [x, y]: readonly [number, number, number]): [number, number, number] | null {
  let si = 0, sj = 0, sk = 0, count = 0;
  for (let n = 0; n < labels.length; n++) {
    if (labels[n] === 0) continue;
    const i = n % x;
    const rest = (n - i) / x;
    const j = rest % y;
    si += i;
    sj += j;
    sk += (rest - j) / y;
    count++;
  }
  return count === 0 ? null : [Math.round(si / count), Math.round(sj / count), Math.round(sk / count)];
}
