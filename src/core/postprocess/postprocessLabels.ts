import { removeSmallComponents } from './removeSmallComponents.ts';
import { smallEtToNcr } from './smallEtToNcr.ts';

export interface PostprocessOptions {
  /** Whole-tumour components smaller than this (voxels; 1 mm³ on BraTS grids) are removed. 0 = keep all. */
  minComponentVoxels: number;
  /** ET totalling fewer voxels than this (but some) becomes NCR. 0 = never. */
  minEtVoxels: number;
}

/**
 * The defaults, chosen on the six held-out real scans with the shipped model
 * (training/README.md "Post-processing" has the grid and what each setting changed).
 */
export const DEFAULT_POSTPROCESS: PostprocessOptions = { minComponentVoxels: 0, minEtVoxels: 0 };

/**
 * Post-processing of a predicted label volume (NIfTI order, labels {0,1,2,4}): small
 * whole-tumour components removed first, then the small-ET rule on what remains — the order
 * of training/attune_train/postprocess.py, which the parity fixture checks.
 */
export function postprocessLabels(
  labels: Uint8Array,
  dims: readonly [number, number, number],
  options: PostprocessOptions = DEFAULT_POSTPROCESS,
): Uint8Array {
  return smallEtToNcr(removeSmallComponents(labels, dims, options.minComponentVoxels), options.minEtVoxels);
}
