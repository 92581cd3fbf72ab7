import * as tf from '@tensorflow/tfjs-core';
import type { ModelWeights } from '../model/network.ts';
import type { AdaptSettings } from './modes.ts';
import type { Objective } from './objectives/types.ts';
import type { Kept, SelectionRule } from './selection/minimumLoss.ts';

export interface OptimisationResult {
  lossCurve: number[];
  kept: Kept;
  budgets: (Kept & { iterations: number })[];
  /** Shipped weights with these parameters in place. */
  withParams(params: tf.Tensor[]): ModelWeights;
}

/**
 * The one adaptation loop: the named tensors of `shipped` become variables (copies: the
 * shipped weights never change), each iteration evaluates the objective and takes one
 * optimiser step (the last iterate is evaluated, not stepped), and the selection rule
 * decides which iterate to keep. `onIteration` runs last in each iteration so a cancel
 * thrown from it finds every copy already kept or freed.
 */
export async function optimiseParameters(
  shipped: ModelWeights,
  names: string[],
  objective: Objective,
  selection: SelectionRule,
  settings: Pick<AdaptSettings, 'optimizer' | 'learningRate' | 'iterations'>,
  callbacks: { onIteration?: (iteration: number, loss: number) => void; checkCancelled?: () => void } = {},
): Promise<OptimisationResult> {
  const vars = names.map((n) => tf.variable(shipped[n], true));
  const current: ModelWeights = { ...shipped, ...Object.fromEntries(names.map((n, i) => [n, vars[i]])) };
  const optimizer = settings.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : tf.train.sgd(settings.learningRate);
  const lossCurve: number[] = [];
  try {
    for (let it = 0; it <= settings.iterations; it++) {
      callbacks.checkCancelled?.();
      const snapshot = vars.map((v) => tf.clone(v)); // shares data until the step reassigns v
      let loss: number;
      try {
        const step = it < settings.iterations;
        const { value, grads } = await objective.evaluate(current, step ? vars : null);
        loss = value;
        if (grads) {
          optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
          grads.forEach((g) => g.dispose());
        }
      } catch (e) {
        snapshot.forEach((t) => t.dispose());
        throw e;
      }
      lossCurve.push(loss);
      selection.consider(it, loss, snapshot);
      callbacks.onIteration?.(it, loss);
    }
    return {
      lossCurve,
      kept: selection.kept(),
      budgets: selection.budgets(),
      withParams: (params) => ({ ...shipped, ...Object.fromEntries(names.map((n, i) => [n, params[i]])) }),
    };
  } catch (e) {
    selection.dispose();
    throw e;
  } finally {
    vars.forEach((v) => v.dispose());
    optimizer.dispose();
  }
}
