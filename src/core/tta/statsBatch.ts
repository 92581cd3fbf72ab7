import * as tf from '@tensorflow/tfjs-core';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { statsSliceBatch } from './statsSlices.ts';
import { brainMaskOf } from '../model/pixelMaps.ts';

/** One forward/backward pass's share of the statistics slices. */
export interface BatchPart {
  x: tf.Tensor4D;
  /** Its share of the slices (all slices have the same number of pixels). */
  weight: number;
  /** 1 where any modality is non-zero (the skull-stripped brain), [n, H, W]. */
  brain: tf.Tensor3D;
  /** Brain pixels in this part. */
  brainPixels: number;
}

/** The statistics slices of one scan, uploaded once for every iteration, split into passes. */
export interface StatsBatch {
  /** All slices at once (the alignment's iteration-0 score, AdaBN). */
  x: tf.Tensor4D;
  parts: BatchPart[];
  brainPixels: number;
  dispose(): void;
}

/**
 * `passSize` slices per pass (default all): memory grows with it; losses and gradients do
 * not depend on it (objectives pool over the parts).
 */
export async function makeStatsBatch(pre: PreprocessedCase, slices: number, passSize?: number): Promise<StatsBatch> {
  const batch = statsSliceBatch(pre, slices);
  const x = tf.tensor4d(batch.data, batch.shape);
  const n = x.shape[0];
  const per = Math.max(1, Math.floor(passSize ?? n));
  const parts: BatchPart[] = [];
  try {
    for (let s = 0; s < n; s += per) {
      const k = Math.min(per, n - s);
      const px = per >= n ? x : tf.slice(x, [s, 0, 0, 0], [k, -1, -1, -1]);
      const brain = brainMaskOf(px);
      const count = tf.sum(brain);
      const brainPixels = (await count.data())[0];
      count.dispose();
      parts.push({ x: px, weight: k / n, brain, brainPixels });
    }
  } catch (e) {
    x.dispose();
    parts.forEach((p) => { p.brain.dispose(); if (p.x !== x) p.x.dispose(); });
    throw e;
  }
  return {
    x,
    parts,
    brainPixels: parts.reduce((a, p) => a + p.brainPixels, 0),
    dispose() {
      parts.forEach((p) => { p.brain.dispose(); if (p.x !== x) p.x.dispose(); });
      x.dispose();
    },
  };
}
