import * as tf from '@tensorflow/tfjs-core';

export interface Kept {
  iteration: number;
  params: tf.Tensor[];
}

/** Decides which iterate an adaptation keeps; owns the parameter copies it is given. */
export interface SelectionRule {
  consider(iteration: number, loss: number, params: tf.Tensor[]): void;
  /** The kept iterate (after at least one `consider`). */
  kept(): Kept;
  /** For each requested iteration budget N: what a run of N iterations would have kept. */
  budgets(): (Kept & { iterations: number })[];
  /** Frees every copy it holds (after an error; on success the caller takes them over). */
  dispose(): void;
}

/**
 * The method's rule: keep the minimum-loss iterate, iteration 0 (the shipped weights)
 * included, so the kept parameters never have a higher loss than the source model; a
 * non-finite loss never wins. The steps do not depend on the budget, so the minimum over
 * iterations 0…N is exactly what an N-iteration run keeps.
 */
export function minimumLossSelection(iterationBudgets: readonly number[] = []): SelectionRule {
  let best: { loss: number; iteration: number; params: tf.Tensor[] } | null = null;
  const budgetParams: (Kept & { iterations: number })[] = [];
  return {
    consider(iteration, loss, params) {
      if (Number.isFinite(loss) && (best === null || loss < best.loss)) {
        best?.params.forEach((t) => t.dispose());
        best = { loss, iteration, params };
      } else {
        params.forEach((t) => t.dispose());
      }
      if (iterationBudgets.includes(iteration) && best) {
        budgetParams.push({ iterations: iteration, iteration: best.iteration, params: best.params.map((t) => tf.clone(t)) });
      }
    },
    kept() {
      if (!best) throw new Error('minimumLossSelection: no finite loss was seen (every iterate diverged)');
      return best;
    },
    budgets: () => budgetParams,
    dispose() {
      (best as Kept | null)?.params.forEach((t) => t.dispose());
      best = null;
      budgetParams.forEach((b) => b.params.forEach((t) => t.dispose()));
      budgetParams.length = 0;
    },
  };
}
