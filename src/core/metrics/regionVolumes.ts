import { DICE_LABELS } from './dice.ts';

export type RegionKey = 'ET' | 'TC' | 'WT';
export interface RegionVolume {
  key: RegionKey;
  name: string;
  voxels: number;
  ml: number;
}

const REGION_NAMES: Record<RegionKey, string> = { ET: 'Enhancing tumour', TC: 'Tumour core', WT: 'Whole tumour' };

/**
 * Volume (mL) of the BraTS evaluation regions — ET, TC = NCR ∪ ET, WT = all labels — with
 * the same label sets as Dice, so a region's volume and its Dice always mean the same voxels.
 */
export function regionVolumes(labels: ArrayLike<number>, voxelMl: number): RegionVolume[] {
  const regions: RegionKey[] = ['ET', 'TC', 'WT'];
  const member = regions.map((r) => {
    const m = new Uint8Array(256);
    for (const l of DICE_LABELS[r === 'ET' ? 'ET_region' : r]) m[l] = 1;
    return m;
  });
  const counts = [0, 0, 0];
  for (let n = 0; n < labels.length; n++) {
    const v = labels[n];
    if (v === 0) continue;
    for (let r = 0; r < 3; r++) counts[r] += member[r][v];
  }
  return regions.map((key, r) => ({ key, name: REGION_NAMES[key], voxels: counts[r], ml: counts[r] * voxelMl }));
}
