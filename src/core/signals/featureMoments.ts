import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../model/decodeModel.ts';
import { forwardNetwork, type ModelWeights } from '../model/network.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { brainMaskOf } from '../model/pixelMaps.ts';
import { sliceBatch, statsSliceIndices } from '../tta/statsSlices.ts';

/** Per BN layer, per channel: mean and variance of the features entering it, over a scan's brain voxels. */
export type FeatureMoments = Record<string, { mean: number[]; variance: number[] }>;

export interface FeatureMomentsOptions {
  /** BN layers to measure (forward passes stop after the deepest). */
  layers: string[];
  /** Slices spread over the brain box as the contract's statistics slices (`statsSliceIndices`), or every slice. */
  slices: number | 'all';
  /** Slices per forward pass (memory). */
  passSize?: number;
  /** Weights to measure with (default: the shipped ones). */
  weights?: ModelWeights;
}

/**
 * The moments a feature-shift signal compares: brain voxels only (the background is the
 * same zero everywhere and only dilutes a shift), over many slices (a score needs only
 * forward passes, so it can afford them), pooled exactly over the passes. The same function
 * measures the training scans (`attune calibrate`) and every new scan, so the reference can
 * never be a different population.
 */
export async function measureFeatureMoments(model: AttuneModel, pre: PreprocessedCase, o: FeatureMomentsOptions): Promise<FeatureMoments> {
  const d = pre.shape[0];
  const deepest = model.arch.bnLayers.filter((l) => o.layers.includes(l)).pop();
  if (!deepest) throw new Error(`no BN layer of this model among ${o.layers.join(', ')}`);
  const indices = o.slices === 'all' ? Array.from({ length: d }, (_, i) => i) : statsSliceIndices(d, Math.min(o.slices, d));
  const per = Math.max(1, Math.floor(o.passSize ?? 8));
  const sums = Object.fromEntries(o.layers.map((l) => [l, { s1: [] as number[], s2: [] as number[] }]));
  let pixelsTotal = 0;
  for (let start = 0; start < indices.length; start += per) {
    const { data, shape } = sliceBatch(pre, indices.slice(start, start + per));
    const out = tf.tidy(() => {
      const x = tf.tensor4d(data, shape);
      const brain = brainMaskOf(x);
      const { bnMoments } = forwardNetwork(o.weights ?? model.weights, model.arch, x, { collectBnMoments: true, momentsMask: brain, stopAfter: deepest });
      return [tf.sum(brain), ...o.layers.flatMap((l) => [bnMoments![l].mean, bnMoments![l].variance])];
    });
    const values = await Promise.all(out.map((t) => t.data()));
    out.forEach((t) => t.dispose());
    const pixels = values[0][0];
    if (pixels === 0) continue;
    pixelsTotal += pixels;
    o.layers.forEach((l, i) => {
      const mean = values[1 + 2 * i];
      const variance = values[2 + 2 * i];
      const acc = sums[l];
      for (let k = 0; k < mean.length; k++) {
        acc.s1[k] = (acc.s1[k] ?? 0) + pixels * mean[k];
        acc.s2[k] = (acc.s2[k] ?? 0) + pixels * (variance[k] + mean[k] * mean[k]);
      }
    });
  }
  if (pixelsTotal === 0) throw new Error('the scan has no brain voxel (all four modalities are zero)');
  return Object.fromEntries(
    o.layers.map((l) => {
      const mean = sums[l].s1.map((v) => v / pixelsTotal);
      return [l, { mean, variance: sums[l].s2.map((v, k) => Math.max(v / pixelsTotal - mean[k] * mean[k], 0)) }];
    }),
  );
}
