import { invert4 } from './matrix.ts';
import { resampleNearest } from './resample.ts';
import { voxelMl } from './grid.ts';
import type { Grid, WorldMap } from './types.ts';

/**
 * A mask made on the atlas grid, put back on a series' native grid (item 4): each native
 * voxel takes the label of the nearest atlas voxel at native → atlas(its position), the
 * inverse of the map the series was resampled through. Nearest neighbour, so labels are
 * never mixed.
 */
export function maskToNative(mask: Uint8Array, atlasGrid: Grid, nativeGrid: Grid, atlasToNative: WorldMap): Uint8Array {
  return resampleNearest(mask, atlasGrid, nativeGrid, invert4(atlasToNative));
}

/** mL per non-zero label value of a mask on a grid (any grid: the voxel size is the affine's). */
export function labelMl(mask: ArrayLike<number>, grid: Grid): Map<number, number> {
  const counts = new Map<number, number>();
  for (let n = 0; n < mask.length; n++) if (mask[n] !== 0) counts.set(mask[n], (counts.get(mask[n]) ?? 0) + 1);
  const ml = voxelMl(grid);
  return new Map([...counts].sort(([a], [b]) => a - b).map(([label, c]) => [label, c * ml]));
}
