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
  /**
   * Statistics slices per forward/backward pass (default: all K at once). Memory grows
   * with it; the loss and its gradient do not depend on it (moments are pooled over the
   * passes, then each pass back-propagates its share), so a small value trades one extra
   * forward pass per iteration for a fraction of the memory. Callers size it with
   * src/core/memory's `planRun` (the worker and the CLI do).
   */
  adaptBatchSize?: number;
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
  const parts = splitBatch(x, callbacks.adaptBatchSize);
  const alignment = (weights: ModelWeights) => {
    if (parts.length === 1) {
      const { bnMoments } = forwardNetwork(weights, arch, x, { collectBnMoments: true });
      return klAlignmentLoss(bnMoments!, model.weights, arch);
    }
    const sums = pooledMoments(weights, arch, parts);
    try {
      return lossFromPooled(sums, model, arch);
    } finally {
      sums.forEach((t) => t.dispose());
    }
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
      const owned = Object.values(bnMoments).flatMap((m) => [m.mean, m.variance]);
      try {
        callbacks.onIteration?.(1, after);
      } catch (e) {
        // The worker cancels from onIteration: the statistics must not outlive it.
        owned.forEach((t) => t.dispose());
        throw e;
      }
      return finish({ lossCurve: [shiftScore, after], chosenIteration: 1, shiftScore, weights: model.weights, bnStatisticsOverride: bnMoments, owned });
    }

    const result = await optimise(model, x, parts, settings, alignment, callbacks, finish);
    return alignmentIsObjective ? { ...result, shiftScore: result.lossCurve[0] } : { ...result, shiftScore };
  } finally {
    x.dispose();
    if (parts.length > 1) parts.forEach((p) => p.x.dispose());
  }
}

interface BatchPart {
  x: tf.Tensor4D;
  /** Its share of the statistics slices (all slices have the same number of pixels). */
  weight: number;
}

function splitBatch(x: tf.Tensor4D, size: number | undefined): BatchPart[] {
  const n = x.shape[0];
  const per = Math.max(1, Math.floor(size ?? n));
  if (per >= n) return [{ x, weight: 1 }];
  const parts: BatchPart[] = [];
  for (let s = 0; s < n; s += per) {
    const k = Math.min(per, n - s);
    parts.push({ x: tf.slice(x, [s, 0, 0, 0], [k, -1, -1, -1]), weight: k / n });
  }
  return parts;
}

/** Per BN layer: [mean, E[x²]] pooled over the parts (forward only). 2·B tensors, caller disposes. */
function pooledMoments(weights: ModelWeights, arch: AttuneModel['arch'], parts: BatchPart[]): tf.Tensor1D[] {
  let acc: tf.Tensor1D[] | null = null;
  for (const part of parts) {
    const m = tf.tidy(() => {
      const { bnMoments } = forwardNetwork(weights, arch, part.x, { collectBnMoments: true });
      return arch.bnLayers.flatMap((l) => weightedMoments(bnMoments![l], part.weight));
    });
    if (acc === null) acc = m;
    else {
      const prev: tf.Tensor1D[] = acc;
      acc = prev.map((a, i) => tf.add(a, m[i]) as tf.Tensor1D);
      prev.forEach((t) => t.dispose());
      m.forEach((t) => t.dispose());
    }
  }
  return acc!;
}

const weightedMoments = (m: BnMoments, weight: number): tf.Tensor1D[] => [
  tf.mul(m.mean, weight) as tf.Tensor1D,
  tf.mul(tf.add(m.variance, tf.square(m.mean)), weight) as tf.Tensor1D,
];

/** The KL alignment loss from pooled [mean, E[x²]] per layer. */
function lossFromPooled(sums: tf.Tensor[], model: AttuneModel, arch: AttuneModel['arch']): tf.Scalar {
  return tf.tidy(() => {
    const moments: Record<string, BnMoments> = {};
    arch.bnLayers.forEach((l, i) => {
      const mean = sums[2 * i] as tf.Tensor1D;
      moments[l] = { mean, variance: tf.sub(sums[2 * i + 1], tf.square(mean)) as tf.Tensor1D };
    });
    return klAlignmentLoss(moments, model.weights, arch);
  });
}

async function optimise(
  model: AttuneModel,
  x: tf.Tensor4D,
  parts: BatchPart[],
  settings: AdaptSettings,
  alignment: (w: ModelWeights) => tf.Scalar,
  callbacks: AdaptCallbacks,
  finish: (p: Omit<Adaptation, 'mode' | 'settings' | 'seconds'>) => Adaptation,
): Promise<Omit<Adaptation, 'shiftScore'>> {
  const names = adaptableParameterNames(model.arch, settings.mode);
  const vars = names.map((n) => tf.variable(model.weights[n], true));
  const current = (): ModelWeights => ({ ...model.weights, ...Object.fromEntries(names.map((n, i) => [n, vars[i]])) });
  const brain = settings.mode === 'tent' ? brainMaskOf(x) : null;
  // TENT in passes: each pass's own brain pixels, made once for every iteration
  const partBrains = brain && parts.length > 1 ? parts.map((p) => brainMaskOf(p.x)) : [];
  const objective =
    settings.mode === 'tent'
      ? () => predictionEntropy(forwardNetwork(current(), model.arch, x).logits, brain!)
      : () => alignment(current());
  const optimizer = settings.optimizer === 'adam' ? tf.train.adam(settings.learningRate) : tf.train.sgd(settings.learningRate);
  let brainPixels = 0;
  if (brain) {
    const count = tf.sum(brain);
    brainPixels = (await count.data())[0];
    count.dispose();
  }

  /**
   * The objective at the current parameters, and with `step` one optimiser step from its
   * gradient. In parts: the alignment loss's gradient is chained through the pooled
   * moments (exact: each part's moments enter the pool linearly); TENT's mean entropy is a
   * sum over pixels, so each part contributes its own sum.
   */
  const evaluate = async (step: boolean): Promise<number> => {
    if (parts.length === 1) {
      const cost = step ? optimizer.minimize(objective, true, vars)! : tf.tidy(objective);
      const loss = (await cost.data())[0];
      cost.dispose();
      return loss;
    }
    if (settings.mode === 'tent') {
      let loss = 0;
      const total: tf.Tensor[] = [];
      for (const [i, part] of parts.entries()) {
        const f = () => tf.div(tf.sum(tf.mul(entropyMap(forwardNetwork(current(), model.arch, part.x).logits), partBrains[i])), Math.max(brainPixels, 1)) as tf.Scalar;
        if (step) {
          const { value, grads } = tf.variableGrads(f, vars);
          loss += (await value.data())[0];
          value.dispose();
          accumulate(total, vars.map((v) => grads[v.name]));
        } else {
          const value = tf.tidy(f);
          loss += (await value.data())[0];
          value.dispose();
        }
      }
      if (step) applyGradients(total);
      return loss;
    }
    const sums = pooledMoments(current(), model.arch, parts);
    try {
      if (!step) {
        const l = lossFromPooled(sums, model, model.arch);
        const loss = (await l.data())[0];
        l.dispose();
        return loss;
      }
      const { value, grads: dSums } = tf.valueAndGrads((...s: tf.Tensor[]) => lossFromPooled(s, model, model.arch))(sums);
      const loss = (await value.data())[0];
      value.dispose();
      const total: tf.Tensor[] = [];
      try {
        for (const part of parts) {
          const { value: v, grads } = tf.variableGrads(() => {
            const { bnMoments } = forwardNetwork(current(), model.arch, part.x, { collectBnMoments: true });
            const terms = model.arch.bnLayers.flatMap((l, i) => {
              const [m, sq] = weightedMoments(bnMoments![l], part.weight);
              return [tf.sum(tf.mul(dSums[2 * i], m)), tf.sum(tf.mul(dSums[2 * i + 1], sq))];
            });
            return tf.addN(terms) as tf.Scalar;
          }, vars);
          v.dispose();
          accumulate(total, vars.map((vr) => grads[vr.name]));
        }
      } finally {
        dSums.forEach((t) => t.dispose());
      }
      applyGradients(total);
      return loss;
    } finally {
      sums.forEach((t) => t.dispose());
    }
  };
  /** Adds each part's gradients into `total` in place (disposing what it replaces). */
  const accumulate = (total: tf.Tensor[], grads: tf.Tensor[]) => {
    grads.forEach((g, i) => {
      if (total[i] === undefined) total[i] = g;
      else {
        const sum = tf.add(total[i], g);
        total[i].dispose();
        g.dispose();
        total[i] = sum;
      }
    });
  };
  const applyGradients = (total: tf.Tensor[]) => {
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: total[i] })));
    total.forEach((t) => t.dispose());
  };

  const lossCurve: number[] = [];
  const budgetParams: { iterations: number; chosenIteration: number; params: tf.Tensor[] }[] = [];
  let best: { loss: number; iteration: number; params: tf.Tensor[] } | null = null;
  const consider = (iteration: number, loss: number, params: tf.Tensor[]) => {
    lossCurve.push(loss);
    if (Number.isFinite(loss) && (best === null || loss < best.loss)) {
      best?.params.forEach((t) => t.dispose());
      best = { loss, iteration, params };
    } else {
      params.forEach((t) => t.dispose());
    }
    if (callbacks.iterationBudgets?.includes(iteration) && best) {
      budgetParams.push({ iterations: iteration, chosenIteration: best.iteration, params: best.params.map((t) => tf.clone(t)) });
    }
    // Last: the worker cancels by throwing from here, and `params` must already be kept or
    // freed by then (a cancelled run leaked one copy of the parameters before; found by
    // e2e/longSession.spec.ts).
    callbacks.onIteration?.(iteration, loss);
  };
  try {
    for (let it = 0; it <= settings.iterations; it++) {
      callbacks.checkCancelled?.();
      const snapshot = vars.map((v) => tf.clone(v)); // shares data until the step reassigns v
      let loss: number;
      try {
        // the last iterate is evaluated, not stepped
        loss = await evaluate(it < settings.iterations);
      } catch (e) {
        snapshot.forEach((t) => t.dispose());
        throw e;
      }
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
    partBrains.forEach((t) => t.dispose());
  }
}

/** 1 where any modality is non-zero (the skull-stripped brain), [N, H, W]. */
function brainMaskOf(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => tf.cast(tf.any(tf.notEqual(x, 0), 3), 'float32') as tf.Tensor3D);
}

/** TENT's objective: mean Shannon entropy of the softmax over brain pixels. */
function predictionEntropy(logits: tf.Tensor4D, brain: tf.Tensor3D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(entropyMap(logits), brain)), tf.maximum(tf.sum(brain), 1)) as tf.Scalar;
}

/** Per-pixel Shannon entropy of the softmax, [N, H, W]. */
function entropyMap(logits: tf.Tensor4D): tf.Tensor3D {
  const logp = tf.logSoftmax(logits, 3);
  return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 3)) as tf.Tensor3D;
}

export function disposeAdaptation(a: Adaptation): void {
  a.owned.forEach((t) => t.dispose());
  a.owned = [];
}
