import * as tf from '@tensorflow/tfjs-core';
import { labelsOnInputGrid, type PreprocessedCase } from '../preprocess/index.ts';
import type { Architecture } from './contract.ts';
import { forwardNetwork, type ForwardOptions, type ModelWeights } from './network.ts';

export interface SegmentOptions {
  /** Slices per forward pass; callers size it from the backend's memory limits. */
  batchSize?: number;
  onProgress?: (slicesDone: number, slicesTotal: number) => void;
  /** Checked between batches; throwing from it aborts the run. */
  checkCancelled?: () => void;
  /** AdaBN: BN statistics to use instead of the running statistics. */
  bnStatisticsOverride?: ForwardOptions['bnStatisticsOverride'];
}

export interface Segmentation {
  /** BraTS labels {0,1,2,4} on the input files' own grid, i fastest (NIfTI order). */
  labels: Uint8Array;
  /** The same on the cropped box, [D, H', W']. */
  croppedLabels: Uint8Array;
}

/**
 * Segments every slice of a preprocessed case with the given weights: batched forward
 * passes, argmax (first maximum on ties), class → BraTS label, uncropped to the original
 * grid. Every intermediate tensor is disposed; only `weights` stay alive.
 */
export async function segmentCase(
  weights: ModelWeights,
  arch: Architecture,
  pre: PreprocessedCase,
  options: SegmentOptions = {},
): Promise<Segmentation> {
  const [d, h, w, c] = pre.shape;
  const batch = Math.max(1, Math.floor(options.batchSize ?? 8));
  const labelOf = Uint8Array.from(arch.labels);
  const cropped = new Uint8Array(d * h * w);
  for (let s = 0; s < d; s += batch) {
    options.checkCancelled?.();
    const n = Math.min(batch, d - s);
    const classes = tf.tidy(() => {
      const x = tf.tensor4d(pre.input.subarray(s * h * w * c, (s + n) * h * w * c), [n, h, w, c]);
      const { logits } = forwardNetwork(weights, arch, x, { bnStatisticsOverride: options.bnStatisticsOverride, fused: true });
      return tf.argMax(logits, 3);
    });
    const values = (await classes.data()) as Int32Array;
    classes.dispose();
    const out = cropped.subarray(s * h * w, (s + n) * h * w);
    for (let v = 0; v < values.length; v++) out[v] = labelOf[values[v]];
    options.onProgress?.(s + n, d);
  }
  return { labels: labelsOnInputGrid(cropped, pre), croppedLabels: cropped };
}
