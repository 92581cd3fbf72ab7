import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../model/contract.ts';
import { forwardNetwork, type ForwardOptions, type ModelWeights } from '../model/network.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { sliceBatch, statsSliceIndices } from '../tta/statsSlices.ts';

/**
 * 1 − Dice between the tumour (any non-background class) predicted on the slices and the
 * tumour predicted on their left–right mirror images (mirrored back). A model that knows
 * what it sees gives the same answer both ways; 0 = identical, 1 = disjoint. null when
 * neither predicts any tumour: there is nothing to agree on, and no number (0 would read as
 * "perfect agreement", NaN would not survive a JSON record) says that honestly.
 */
export function tumourDisagreement(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x && y) both++;
    sum += (x ? 1 : 0) + (y ? 1 : 0);
  }
  return sum === 0 ? null : 1 - (2 * both) / sum;
}

/** Flip disagreement of a model (weights + optional BN statistics) on `slices` slices spread over the brain box (null: no tumour on them, either way). */
export async function measureFlipDisagreement(
  weights: ModelWeights,
  arch: Architecture,
  pre: PreprocessedCase,
  o: { slices: number; passSize?: number; bnStatisticsOverride?: ForwardOptions['bnStatisticsOverride'] },
): Promise<number | null> {
  const d = pre.shape[0];
  const indices = statsSliceIndices(d, Math.min(o.slices, d));
  const per = Math.max(1, Math.floor(o.passSize ?? 8));
  const plain: number[] = [];
  const mirrored: number[] = [];
  for (let start = 0; start < indices.length; start += per) {
    const { data, shape } = sliceBatch(pre, indices.slice(start, start + per));
    const out = tf.tidy(() => {
      const x = tf.tensor4d(data, shape);
      const run = (input: tf.Tensor4D) => tf.argMax(forwardNetwork(weights, arch, input, { fused: true, bnStatisticsOverride: o.bnStatisticsOverride }).logits, 3);
      return [run(x), tf.reverse(run(tf.reverse(x, 2)), 2)];
    });
    const [a, b] = await Promise.all(out.map((t) => t.data()));
    out.forEach((t) => t.dispose());
    a.forEach((v) => plain.push(v));
    b.forEach((v) => mirrored.push(v));
  }
  return tumourDisagreement(plain, mirrored);
}
