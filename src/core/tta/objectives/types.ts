import type * as tf from '@tensorflow/tfjs-core';
import type { ModelWeights } from '../../model/network.ts';

/** What an adaptation minimises, over one scan's statistics slices (`StatsBatch`). */
export interface Objective {
  /**
   * Its value at `weights`; with `vars` (tensors of `weights` being optimised), also its
   * gradient with respect to each, in that order (the caller disposes them). Exact whatever
   * the batch's split into passes.
   */
  evaluate(weights: ModelWeights, vars: tf.Variable[] | null): Promise<{ value: number; grads: tf.Tensor[] | null }>;
}

/** Adds each part's gradients into `total` in place (disposing what it replaces). */
export function accumulateGradients(total: tf.Tensor[], grads: tf.Tensor[], add: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): void {
  grads.forEach((g, i) => {
    if (total[i] === undefined) total[i] = g;
    else {
      const sum = add(total[i], g);
      total[i].dispose();
      g.dispose();
      total[i] = sum;
    }
  });
}

/**
 * Each variable's gradient from tf.variableGrads, zeros where it has none: a variable the
 * objective never reaches (e.g. a deep BN's scale under a shallow-layer loss, or the last
 * measured layer's own scale, which acts after its input is measured) gets no entry.
 */
export function gradientsOf(grads: Record<string, tf.Tensor>, vars: tf.Variable[], zerosLike: (v: tf.Variable) => tf.Tensor): tf.Tensor[] {
  return vars.map((v) => grads[v.name] ?? zerosLike(v));
}
