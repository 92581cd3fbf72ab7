import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../model/contract.ts';
import type { BnMoments, ModelWeights } from '../model/network.ts';

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
  return tf.tidy(() => {
    const terms = arch.bnLayers.map((bn) => {
      const m = moments[bn];
      if (!m) throw new Error(`klAlignmentLoss: no moments for ${bn}`);
      const v = tf.add(m.variance, arch.klEpsilon);
      const r = tf.add(weights[`${bn}/moving_variance`], arch.klEpsilon);
      const d = tf.sub(m.mean, weights[`${bn}/moving_mean`]);
      const kl = tf.sub(
        tf.add(tf.mul(0.5, tf.log(tf.div(r, v))), tf.div(tf.add(v, tf.square(d)), tf.mul(2, r))),
        0.5,
      );
      return tf.sum(kl);
    });
    return tf.div(tf.addN(terms), terms.length) as tf.Scalar;
  });
}
