import type { PreprocessedCase } from '../preprocess/index.ts';

/**
 * The contract's statistics slices (models/README.md §4): K slices spread over the brain's
 * extent, k_s = floor((s + 0.5)·D/K) into the cropped depth D. The BN running statistics
 * were recalibrated on exactly these slices of the training scans, so the loss compares
 * like with like. Same as training/attune_train/preprocess.py `stats_slice_indices`.
 */
export function statsSliceIndices(depth: number, k: number): number[] {
  if (!(k >= 1) || !Number.isInteger(k)) throw new Error(`statistics slices must be a positive integer, got ${k}`);
  return Array.from({ length: k }, (_, s) => Math.floor(((s + 0.5) * depth) / k));
}

/** NHWC input [K, H', W', 4] of the statistics slices, copied out of the preprocessed case. */
export function statsSliceBatch(pre: PreprocessedCase, k: number): { data: Float32Array; shape: [number, number, number, number] } {
  return sliceBatch(pre, statsSliceIndices(pre.shape[0], k));
}

/** NHWC input [n, H', W', 4] of these slices (indices into the cropped depth), copied out of the preprocessed case. */
export function sliceBatch(pre: PreprocessedCase, indices: readonly number[]): { data: Float32Array; shape: [number, number, number, number] } {
  const [, h, w, c] = pre.shape;
  const per = h * w * c;
  const data = new Float32Array(indices.length * per);
  indices.forEach((s, n) => data.set(pre.input.subarray(s * per, (s + 1) * per), n * per));
  return { data, shape: [indices.length, h, w, c] };
}
