import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../../model/decodeModel.ts';
import { forwardNetwork, type ModelWeights } from '../../model/network.ts';
import { entropyMap } from '../../model/pixelMaps.ts';
import type { StatsBatch } from '../statsBatch.ts';
import { scalarValue } from './alignmentObjective.ts';
import { accumulateGradients, gradientsOf, type Objective } from './types.ts';

/**
 * TENT's objective: the mean Shannon entropy of the softmax over the brain pixels of the
 * statistics slices. A sum over pixels, so each pass contributes its own share.
 */
export function entropyObjective(model: AttuneModel, batch: StatsBatch): Objective {
  const denominator = Math.max(batch.brainPixels, 1);
  const partValue = (weights: ModelWeights, i: number) => () => {
    const p = batch.parts[i];
    const { logits } = forwardNetwork(weights, model.arch, p.x);
    return tf.div(tf.sum(tf.mul(entropyMap(logits), p.brain)), denominator) as tf.Scalar;
  };
  return {
    async evaluate(weights, vars) {
      let value = 0;
      const total: tf.Tensor[] = [];
      try {
        for (let i = 0; i < batch.parts.length; i++) {
          if (!vars) {
            value += await scalarValue(tf.tidy(partValue(weights, i)));
            continue;
          }
          const { value: v, grads } = tf.variableGrads(partValue(weights, i), vars);
          value += await scalarValue(v);
          accumulateGradients(total, gradientsOf(grads, vars, tf.zerosLike), tf.add);
        }
      } catch (e) {
        total.forEach((t) => t.dispose());
        throw e;
      }
      return { value, grads: vars ? total : null };
    },
  };
}
