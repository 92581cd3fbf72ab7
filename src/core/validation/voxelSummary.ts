import { physicalValues, type NiftiVolume } from '../volume/index.ts';

export interface VoxelSummary {
  nonFinite: number;
  nonZero: number;
}

const cache = new WeakMap<NiftiVolume, VoxelSummary>();

/**
 * Counts non-finite and non-zero voxels (physical values). Cached per volume because the
 * case is re-validated on every reassignment and real volumes hold ~9 million voxels.
 */
export function summarizeVoxels(volume: NiftiVolume): VoxelSummary {
  const hit = cache.get(volume);
  if (hit) return hit;
  const values = physicalValues(volume);
  let nonFinite = 0;
  let nonZero = 0;
  for (let n = 0; n < values.length; n++) {
    const v = values[n];
    if (!Number.isFinite(v)) nonFinite++;
    else if (v !== 0) nonZero++;
  }
  const summary = { nonFinite, nonZero };
  cache.set(volume, summary);
  return summary;
}

/** Distinct values beyond this are not listed one by one: a label map has a handful. */
const MAX_DISTINCT = 64;

/**
 * Voxel count per distinct physical value, for label maps. Stops collecting new values
 * after 64 (a float scan dropped as a label map would otherwise build a map of millions);
 * `more` then counts the voxels whose values were not collected.
 */
export function labelValueCounts(volume: NiftiVolume): { counts: Map<number, number>; more: number } {
  const values = physicalValues(volume);
  const counts = new Map<number, number>();
  let more = 0;
  for (let n = 0; n < values.length; n++) {
    const v = values[n];
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (counts.size < MAX_DISTINCT) counts.set(v, 1);
    else more++;
  }
  return { counts, more };
}
