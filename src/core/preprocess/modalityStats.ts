import type { VoxelArray } from '../volume/index.ts';
import type { ModalityStats } from './types.ts';

/**
 * Mean and population std (ddof 0) of `values` over the mask, in float64 (§2.2).
 * Two passes, like numpy's `x.std()`, with compensated (Neumaier) sums so the result is
 * within rounding of the exact value — the Python twin uses numpy's pairwise sums, and
 * both then round to the same float32 inputs.
 */
export function modalityStats(values: VoxelArray, mask: Uint8Array): ModalityStats {
  let count = 0;
  let sum = 0;
  let comp = 0;
  for (let n = 0; n < mask.length; n++) {
    if (mask[n] === 0) continue;
    count++;
    const v = values[n];
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = (sum + comp) / count;
  let sq = 0;
  let sqComp = 0;
  for (let n = 0; n < mask.length; n++) {
    if (mask[n] === 0) continue;
    const d = values[n] - mean;
    const v = d * d;
    const t = sq + v;
    sqComp += sq >= v ? sq - t + v : v - t + sq;
    sq = t;
  }
  return { mean, std: Math.sqrt((sq + sqComp) / count) };
}
