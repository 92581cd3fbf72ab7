import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_POSTPROCESS, postprocessLabels, type PostprocessOptions } from '../postprocess/index.ts';
import { toInputGrid } from '../orientation/index.ts';
import { uncropLabels, type PreprocessedCase } from '../preprocess/index.ts';
import type { Architecture } from './contract.ts';
import { forwardNetwork, type ForwardOptions, type ModelWeights } from './network.ts';
import { brainMaskOf, entropyMap } from './pixelMaps.ts';

export interface SegmentOptions {
  /** Slices per forward pass; callers size it from the backend's memory limits. */
  batchSize?: number;
  onProgress?: (slicesDone: number, slicesTotal: number) => void;
  /** Checked between batches; throwing from it aborts the run. */
  checkCancelled?: () => void;
  /** AdaBN: BN statistics to use instead of the running statistics. */
  bnStatisticsOverride?: ForwardOptions['bnStatisticsOverride'];
  /**
   * Post-processing of the final mask (src/core/postprocess): `true` or absent = the
   * defaults chosen on the held-out scans, `false` = the raw argmax, or explicit thresholds.
   * Applied here because every mask the app, worker and CLI show comes out of this function.
   */
  postprocess?: boolean | PostprocessOptions;
  /** Also measure the prediction's entropy (`Segmentation.uncertainty`): a few extra kernels per batch. */
  measureUncertainty?: boolean;
}

/** Prediction entropy (nats, softmax over the classes) of the raw argmax, before post-processing. */
export interface Uncertainty {
  /** Mean entropy over voxels predicted tumour (any non-background class); NaN when none. */
  tumourEntropy: number;
  /** Mean entropy over brain voxels (any modality non-zero). */
  brainEntropy: number;
  tumourVoxels: number;
  brainVoxels: number;
}

export interface Segmentation {
  /** BraTS labels {0,1,2,4} on the input files' own grid, i fastest (NIfTI order), post-processed unless turned off. */
  labels: Uint8Array;
  /** The network's argmax labels on the cropped box, [D, H', W'], before post-processing. */
  croppedLabels: Uint8Array;
  /** With `measureUncertainty`. */
  uncertainty?: Uncertainty;
}

function postprocessOptionsOf(choice: SegmentOptions['postprocess']): PostprocessOptions | null {
  if (choice === false) return null;
  return choice === undefined || choice === true ? DEFAULT_POSTPROCESS : choice;
}

/**
 * Segments every slice of a preprocessed case with the given weights: batched forward
 * passes, argmax (first maximum on ties), class → BraTS label, uncropped to the original
 * grid, post-processed (unless `postprocess: false`). Every intermediate tensor is disposed; only `weights` stay alive.
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
  // [Σ entropy over tumour, tumour voxels, Σ entropy over brain, brain voxels]
  const sums = [0, 0, 0, 0];
  for (let s = 0; s < d; s += batch) {
    options.checkCancelled?.();
    const n = Math.min(batch, d - s);
    const result = tf.tidy(() => {
      const x = tf.tensor4d(pre.input.subarray(s * h * w * c, (s + n) * h * w * c), [n, h, w, c]);
      const { logits } = forwardNetwork(weights, arch, x, { bnStatisticsOverride: options.bnStatisticsOverride, fused: true });
      const classes = tf.argMax(logits, 3);
      if (!options.measureUncertainty) return [classes];
      const entropy = entropyMap(logits);
      const tumour = tf.cast(tf.notEqual(classes, 0), 'float32');
      const brain = brainMaskOf(x);
      return [classes, tf.stack([tf.sum(tf.mul(entropy, tumour)), tf.sum(tumour), tf.sum(tf.mul(entropy, brain)), tf.sum(brain)])];
    });
    const values = (await result[0].data()) as Int32Array;
    if (result[1]) (await result[1].data()).forEach((v, i) => (sums[i] += v));
    result.forEach((t) => t.dispose());
    const out = cropped.subarray(s * h * w, (s + n) * h * w);
    for (let v = 0; v < values.length; v++) out[v] = labelOf[values[v]];
    options.onProgress?.(s + n, d);
  }
  // On the full grid, as the Python evaluation does: component sizes must not count the
  // padded voxels outside the brain box that uncrop drops. Post-processed on the canonical
  // grid (6-connected components do not depend on axis order or direction), then mapped
  // back onto the input's own grid.
  const labels = uncropLabels(cropped, pre.box);
  const post = postprocessOptionsOf(options.postprocess);
  const final = post ? postprocessLabels(labels, pre.box.dims, post) : labels;
  const uncertainty = options.measureUncertainty
    ? { tumourEntropy: sums[1] > 0 ? sums[0] / sums[1] : NaN, tumourVoxels: sums[1], brainEntropy: sums[3] > 0 ? sums[2] / sums[3] : NaN, brainVoxels: sums[3] }
    : undefined;
  return { labels: toInputGrid(final, pre.orientation), croppedLabels: cropped, uncertainty };
}
