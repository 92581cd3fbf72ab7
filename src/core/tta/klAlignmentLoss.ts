import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../model/contract.ts';
import type { BnMoments, ModelWeights } from '../model/network.ts';

/** Per BN layer, the statistics a scan's moments are aligned to. */
export type BnReference = Record<string, BnMoments>;

/** The model's stored running statistics as a reference (what the method as written aligns to). */
export function runningReference(weights: ModelWeights, layers: readonly string[]): BnReference {
  return Object.fromEntries(
    layers.map((bn) => [bn, { mean: weights[`${bn}/moving_mean`] as tf.Tensor1D, variance: weights[`${bn}/moving_variance`] as tf.Tensor1D }]),
  );
}

/**
 * L = (1/B) Σ_b Σ_c KL( N(μ_bc, σ²_bc) ‖ N(μ̄_bc, σ̄²_bc) ), over the B BN layers and their
 * channels: μ, σ² the moments of the features entering layer b on this scan, μ̄, σ̄² its
 * running statistics. Closed form per channel
 *   KL = log(σ̄/σ) + (σ² + (μ − μ̄)²)/(2σ̄²) − 1/2,
 * with `arch.klEpsilon` added to both variances so a dead channel (σ² = 0) gives a large but
 * finite loss and a finite gradient. Same formula as training/attune_train/infer.py.
 */
export function klAlignmentLoss(
  moments: Record<string, BnMoments>,
  weights: ModelWeights,
  arch: Pick<Architecture, 'bnLayers' | 'klEpsilon'>,
): tf.Scalar {
  return tf.tidy(() => klToReference(moments, runningReference(weights, arch.bnLayers), arch.bnLayers, arch.klEpsilon));
}

/** The same loss over a subset of layers and against any reference (a variant's objective, a signal). */
export function klToReference(moments: Record<string, BnMoments>, reference: BnReference, layers: readonly string[], klEpsilon: number): tf.Scalar {
  return tf.tidy(() => {
    // One vector over every layer's channels: a dozen kernels and their gradients instead of
    // a dozen per layer (on WebGPU each kernel is a dispatch; adaptation is dispatch-bound).
    const missing = layers.find((bn) => !moments[bn] || !reference[bn]);
    if (missing) throw new Error(`klAlignmentLoss: no ${moments[missing] ? 'reference' : 'moments'} for ${missing}`);
    const all = (f: (bn: string) => tf.Tensor) => tf.concat(layers.map(f), 0);
    const v = tf.add(all((bn) => moments[bn].variance), klEpsilon);
    const r = tf.add(all((bn) => reference[bn].variance), klEpsilon);
    const d = tf.sub(all((bn) => moments[bn].mean), all((bn) => reference[bn].mean));
    const kl = tf.sub(tf.add(tf.mul(0.5, tf.log(tf.div(r, v))), tf.div(tf.add(v, tf.square(d)), tf.mul(2, r))), 0.5);
    return tf.div(tf.sum(kl), layers.length) as tf.Scalar;
  });
}
