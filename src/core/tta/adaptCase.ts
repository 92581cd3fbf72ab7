import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../model/decodeModel.ts';
import { forwardNetwork, type BnMoments, type ModelWeights } from '../model/network.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { klAlignmentLoss } from './klAlignmentLoss.ts';
import { adaptableParameterNames, type AdaptMode, type AdaptSettings } from './modes.ts';
import { statsSliceBatch } from './statsSlices.ts';

export interface AdaptCallbacks {
  /** After each evaluated iteration (0 = source weights), with that iteration's loss. */
  onIteration?: (iteration: number, loss: number) => void;
  /** Called between iterations; throw from it to cancel (everything allocated is freed). */
  checkCancelled?: () => void;
  /**
   * Also keep, for each N here (≤ settings.iterations), the minimum-loss parameters among
   * iterations 0…N: exactly what a run of N iterations would keep (the steps do not depend
   * on N), so one run answers an iteration-budget sweep.
   */
  iterationBudgets?: readonly number[];
}

export interface BudgetChoice {
  iterations: number;
  chosenIteration: number;
  /** Shipped weights with that choice's adapted tensors in place (owned by the adaptation). */
  weights: ModelWeights;
}

export interface Adaptation {
  mode: AdaptMode;
  settings: AdaptSettings;
  /**
   * The objective at iterations 0…N: the KL alignment loss (normalizer, bn, none), the
   * mean prediction entropy over the brain (tent), or [KL before, KL after] (adabn).
   */
  lossCurve: number[];
  /** Iteration whose parameters were kept: the minimum of lossCurve (adabn: 1). */
  chosenIteration: number;
  /** KL alignment loss of the source weights on this scan (iteration 0): how far it is from training. */
  shiftScore: number;
  /** Shipped weights with the chosen adapted tensors in place; pass to segmentCase. */
  weights: ModelWeights;
  /** AdaBN: the scan's own BN statistics, for segmentCase. */
  bnStatisticsOverride?: Record<string, BnMoments>;
  seconds: number;
  /** One entry per requested iteration budget (normalizer, bn, tent only). */
  budgets?: BudgetChoice[];
  /** Tensors this adaptation owns (freed by disposeAdaptation). */
  owned: tf.Tensor[];
}

/**
 * Adapts the model to one scan, without its label. Starts from the shipped weights every
 * time; only the mode's parameters change (as new variables: `model.weights` stay intact),
 * BN running statistics are never updated. Iteration 0 counts, so the kept parameters
 * never have a higher loss than the source model.
 */
export async function adaptCase(
  model: AttuneModel,
  pre: PreprocessedCase,
  settings: AdaptSettings,
  callbacks: AdaptCallbacks = {},
): Promise<Adaptation> {
  const t0 = performance.now();
  if (settings.mode !== 'none' && settings.mode !== 'adabn' && !tf.getGradient('Conv2D')) {
    // tfjs-core registers no gradients by itself; whoever sets up the backend must.
    throw new Error('tfjs gradient functions are not registered (src/worker and src/node/useNodeBackend register them)');
  }
  const { arch } = model;
  const batch = statsSliceBatch(pre, settings.statsSlices);
  const x = tf.tensor4d(batch.data, batch.shape); // uploaded once for every iteration
  const alignment = (weights: ModelWeights, mode: 'running' | 'input' = 'running') => {
    const { bnMoments } = forwardNetwork(weights, arch, x, { collectBnMoments: true, bnStatistics: mode });
    return klAlignmentLoss(bnMoments!, model.weights, arch);
  };
  const finish = (partial: Omit<Adaptation, 'mode' | 'settings' | 'seconds'>): Adaptation => ({
    mode: settings.mode,
    settings,
    seconds: (performance.now() - t0) / 1000,
    ...partial,
  });

  try {
    const { mode } = settings;
    // normalizer/bn: the first optimisation step evaluates exactly this loss (iteration 0),
    // so the shift score comes from there instead of an extra forward pass.
    const alignmentIsObjective = (mode === 'normalizer' || mode === 'bn') && settings.iterations > 0;
    let shiftScore = NaN;
    if (!alignmentIsObjective) {
      const l0 = tf.tidy(() => alignment(model.weights));
      shiftScore = (await l0.data())[0];
      l0.dispose();
    }

    if (mode === 'none' || settings.iterations <= 0) {
      callbacks.onIteration?.(0, shiftScore);
      return finish({ lossCurve: [shiftScore], chosenIteration: 0, shiftScore, weights: model.weights, owned: [] });
    }

    if (mode === 'adabn') {
      callbacks.onIteration?.(0, shiftScore);
      callbacks.checkCancelled?.();
      // One training-mode-like pass: each BN normalises with its own input's moments, which
      // become the statistics for the whole volume.
      const kept = tf.tidy(() => {
        const { bnMoments } = forwardNetwork(model.weights, arch, x, { bnStatistics: 'input' });
        return { bnMoments: bnMoments!, loss: klAlignmentLoss(bnMoments!, model.weights, arch) } as unknown as tf.TensorContainer;
      }) as unknown as { bnMoments: Record<string, BnMoments>; loss: tf.Scalar };
      const { bnMoments, loss } = kept;
      const after = (await loss.data())[0];
      loss.dispose();
      callbacks.onIteration?.(1, after);
      const owned = Object.values(bnMoments).flatMap((m) => [m.mean, m.variance]);
      return finish({ lossCurve: [shiftScore, after], chosenIteration: 1, shiftScore, weights: model.weights, bnStatisticsOverride: bnMoments, owned });
    }

    const result = await optimise(model, x, settings, alignment, callbacks, finish);
    return alignmentIsObjective ? { ...result, shiftScore: result.lossCurve[0] } : { ...result, shiftScore };
  } finally {
    x.dispose();
  }
}

async function optimise(
  model: AttuneModel,
  x: tf.Tensor4D,
  settings: AdaptSettings,
  alignment: (w: ModelWeights) => tf.Scalar,
  callbacks: AdaptCallbacks,
  finish: (p: Omit<Adaptation, 'mode' | 'settings' | 'seconds'>) => Adaptation,
): Promise<Omit<Adaptation, 'shiftScore'>> {
  const names = adaptableParameterNames(model.arch, settings.mode);
  const vars = names.map((n) => tf.variable(model.weights[n], true));
  const current = (): ModelWeights => ({ ...model.weights, ...Object.fromEntries(names.map((n, i) => [n, vars[i]])) });
  const brain = settings.mode === 'tent' ? tf.tidy(() => tf.cast(tf.any(tf.notEqual(x, 0), 3), 'float32') as tf.Tensor3D) : null;
  const objective =
    settings.mode === 'tent'
      ? () => predictionEntropy(forwardNetwork(current(), model.arch, x).logits, brain!)
      : () => alignment(current());
  const optimizer = settings.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : tf.train.sgd(settings.learningRate);

  const lossCurve: number[] = [];
  const budgetParams: { iterations: number; chosenIteration: number; params: tf.Tensor[] }[] = [];
  let best: { loss: number; iteration: number; params: tf.Tensor[] } | null = null;
  const consider = (iteration: number, loss: number, params: tf.Tensor[]) => {
    lossCurve.push(loss);
    callbacks.onIteration?.(iteration, loss);
    if (Number.isFinite(loss) && (best === null || loss < best.loss)) {
      best?.params.forEach((t) => t.dispose());
      best = { loss, iteration, params };
    } else {
      params.forEach((t) => t.dispose());
    }
    if (callbacks.iterationBudgets?.includes(iteration) && best) {
      budgetParams.push({ iterations: iteration, chosenIteration: best.iteration, params: best.params.map((t) => tf.clone(t)) });
    }
  };
  try {
    for (let it = 0; it <= settings.iterations; it++) {
      callbacks.checkCancelled?.();
      const snapshot = vars.map((v) => tf.clone(v)); // shares data until the step reassigns v
      let cost: tf.Scalar | null;
      if (it < settings.iterations) cost = optimizer.minimize(objective, true, vars);
      else cost = tf.tidy(objective); // the last iterate is evaluated, not stepped
      const loss = (await cost!.data())[0];
      cost!.dispose();
      consider(it, loss, snapshot);
    }
    const chosen = best!;
    const withParams = (params: tf.Tensor[]): ModelWeights => ({ ...model.weights, ...Object.fromEntries(names.map((n, i) => [n, params[i]])) });
    return finish({
      budgets: budgetParams.length ? budgetParams.map((b) => ({ iterations: b.iterations, chosenIteration: b.chosenIteration, weights: withParams(b.params) })) : undefined,
      lossCurve,
      chosenIteration: chosen.iteration,
      shiftScore: NaN, // set by the caller
      weights: withParams(chosen.params),
      owned: [...chosen.params, ...budgetParams.flatMap((b) => b.params)],
    });
  } catch (e) {
    (best as { params: tf.Tensor[] } | null)?.params.forEach((t) => t.dispose());
    budgetParams.forEach((b) => b.params.forEach((t) => t.dispose()));
    throw e;
  } finally {
    vars.forEach((v) => v.dispose());
    optimizer.dispose();
    brain?.dispose();
  }
}

/** TENT's objective: mean Shannon entropy of the softmax over brain pixels. */
function predictionEntropy(logits: tf.Tensor4D, brain: tf.Tensor3D): tf.Scalar {
  const logp = tf.logSoftmax(logits, 3);
  const h = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 3));
  return tf.div(tf.sum(tf.mul(h, brain)), tf.maximum(tf.sum(brain), 1)) as tf.Scalar;
}

export function disposeAdaptation(a: Adaptation): void {
  a.owned.forEach((t) => t.dispose());
  a.owned = [];
}
