import { connectedComponents } from './connectedComponents.ts';

/**
 * Whole-tumour (label > 0) components with fewer than `minVoxels` voxels become background;
 * every other voxel keeps its label. A 2D slice-wise network leaves far-away specks that
 * cost little Dice but dominate HD95. Returns a new array; `labels` is not modified.
 */
export function removeSmallComponents(labels: Uint8Array, dims: readonly [number, number, number], minVoxels: number): Uint8Array {
  const out = labels.slice();
  if (minVoxels <= 1) return out;
  const tumour = new Uint8Array(labels.length);
  for (let n = 0; n < labels.length; n++) tumour[n] = labels[n] > 0 ? 1 : 0;
  const { ids, sizes } = connectedComponents(tumour, dims);
  const small = Uint8Array.from(sizes, (s, id) => (id > 0 && s < minVoxels ? 1 : 0));
  for (let n = 0; n < out.length; n++) if (small[ids[n]]) out[n] = 0;
  return out;
}
