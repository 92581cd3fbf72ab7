import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../../model/decodeModel.ts';
import { forwardNetwork, type BnMoments, type ModelWeights } from '../../model/network.ts';
import { klToReference, type BnReference } from '../klAlignmentLoss.ts';
import type { PixelSet } from '../modes.ts';
import type { BatchPart, StatsBatch } from '../statsBatch.ts';
import { accumulateGradients, gradientsOf, type Objective } from './types.ts';

export interface AlignmentOptions {
  /** BN layers compared, in forward order; the forward (and backward) pass stops after the deepest. */
  layers: string[];
  pixels: PixelSet;
  /** What the moments are aligned to: the running statistics, or a calibrated brain-pixel reference. */
  reference: BnReference;
}

/**
 * The KL alignment loss (klAlignmentLoss.ts) as an objective. In several passes the moments
 * are pooled first ([mean, E[x²]] per layer, each part weighted by its share of the pixels)
 * and the loss's gradient is chained back through each part's share — exact, since each
 * part's moments enter the pool linearly.
 */
export function alignmentObjective(model: AttuneModel, batch: StatsBatch, o: AlignmentOptions): Objective {
  const { arch } = model;
  const deepest = arch.bnLayers.filter((l) => o.layers.includes(l)).pop();
  if (!deepest || o.layers.some((l) => !arch.bnLayers.includes(l))) throw new Error(`alignment layers must be BN layers of this model, got ${o.layers.join(', ')}`);
  if (o.pixels === 'brain' && batch.brainPixels === 0) throw new Error('the statistics slices hold no brain voxel (all four modalities are zero there)');
  const share = (p: BatchPart) => (o.pixels === 'brain' ? p.brainPixels / batch.brainPixels : p.weight);
  const momentsOf = (weights: ModelWeights, p: BatchPart) =>
    forwardNetwork(weights, arch, p.x, { collectBnMoments: true, momentsMask: o.pixels === 'brain' ? p.brain : undefined, stopAfter: deepest }).bnMoments!;
  const lossOf = (moments: Record<string, BnMoments>) => klToReference(moments, o.reference, o.layers, arch.klEpsilon);
  const weightedMoments = (m: BnMoments, w: number): tf.Tensor1D[] => [
    tf.mul(m.mean, w) as tf.Tensor1D,
    tf.mul(tf.add(m.variance, tf.square(m.mean)), w) as tf.Tensor1D,
  ];
  const fromPooled = (sums: tf.Tensor[]) =>
    tf.tidy(() => {
      const moments: Record<string, BnMoments> = {};
      o.layers.forEach((l, i) => {
        const mean = sums[2 * i] as tf.Tensor1D;
        moments[l] = { mean, variance: tf.sub(sums[2 * i + 1], tf.square(mean)) as tf.Tensor1D };
      });
      return lossOf(moments);
    });
  /** Per layer [mean, E[x²]] pooled over the parts (forward only); 2·B tensors, caller disposes. */
  const pooled = (weights: ModelWeights): tf.Tensor[] => {
    let acc: tf.Tensor[] | null = null;
    for (const p of batch.parts) {
      const m = tf.tidy(() => {
        const moments = momentsOf(weights, p);
        return o.layers.flatMap((l) => weightedMoments(moments[l], share(p)));
      });
      if (acc === null) acc = m;
      else {
        const prev: tf.Tensor[] = acc;
        acc = prev.map((a, i) => tf.add(a, m[i]));
        prev.forEach((t) => t.dispose());
        m.forEach((t) => t.dispose());
      }
    }
    return acc!;
  };

  return {
    async evaluate(weights, vars) {
      if (batch.parts.length === 1) {
        const p = batch.parts[0];
        const f = () => lossOf(momentsOf(weights, p));
        if (!vars) return { value: await scalarValue(tf.tidy(f)), grads: null };
        const { value, grads } = tf.variableGrads(f, vars);
        return { value: await scalarValue(value), grads: gradientsOf(grads, vars, tf.zerosLike) };
      }
      const sums = pooled(weights);
      try {
        if (!vars) return { value: await scalarValue(fromPooled(sums)), grads: null };
        const { value, grads: dSums } = tf.valueAndGrads((...s: tf.Tensor[]) => fromPooled(s))(sums);
        const loss = await scalarValue(value);
        const total: tf.Tensor[] = [];
        try {
          for (const p of batch.parts) {
            const { value: v, grads } = tf.variableGrads(() => {
              const moments = momentsOf(weights, p);
              const terms = o.layers.flatMap((l, i) => {
                const [m, sq] = weightedMoments(moments[l], share(p));
                return [tf.sum(tf.mul(dSums[2 * i], m)), tf.sum(tf.mul(dSums[2 * i + 1], sq))];
              });
              return tf.addN(terms) as tf.Scalar;
            }, vars);
            v.dispose();
            accumulateGradients(total, gradientsOf(grads, vars, tf.zerosLike), tf.add);
          }
        } catch (e) {
          total.forEach((t) => t.dispose());
          throw e;
        } finally {
          dSums.forEach((t) => t.dispose());
        }
        return { value: loss, grads: total };
      } finally {
        sums.forEach((t) => t.dispose());
      }
    },
  };
}

export async function scalarValue(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}
