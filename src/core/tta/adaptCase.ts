import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../model/decodeModel.ts';
import { forwardNetwork, type BnMoments, type ModelWeights } from '../model/network.ts';
import type { PreprocessedCase } from '../preprocess/index.ts';
import { chooseBnMix } from './bnMix.ts';
import { klAlignmentLoss, runningReference, type BnReference } from './klAlignmentLoss.ts';
import { MODE_RECIPES, type AdaptMode, type AdaptSettings } from './modes.ts';
import { alignmentObjective, scalarValue } from './objectives/alignmentObjective.ts';
import { entropyObjective } from './objectives/entropyObjective.ts';
import type { Objective } from './objectives/types.ts';
import { optimiseParameters } from './optimiseParameters.ts';
import { adaptableParameterNames, layersOf } from './parameters.ts';
import { minimumLossSelection } from './selection/minimumLoss.ts';
import { makeStatsBatch, type StatsBatch } from './statsBatch.ts';

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
  /**
   * The brain-pixel reference (per BN layer, mean and variance over the training scans,
   * from `attune calibrate`): the alignment target of the `pixels: 'brain'` variant.
   */
  brainReference?: BnReference;
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
   * mean prediction entropy over the brain (tent; bnmix: one entry per blend tried), or
   * [KL before, KL after] (adabn).
   */
  lossCurve: number[];
  /** Iteration whose parameters were kept: the minimum of lossCurve (adabn: 1). */
  chosenIteration: number;
  /** KL alignment loss of the source weights on this scan (iteration 0, the method as written: all layers, all pixels). */
  shiftScore: number;
  /** Shipped weights with the chosen adapted tensors in place; pass to segmentCase. */
  weights: ModelWeights;
  /** AdaBN / bnmix: the BN statistics to segment with. */
  bnStatisticsOverride?: Record<string, BnMoments>;
  /** bnmix: the blend kept (α of the shallow and of the deep layers). */
  bnMix?: { shallow: number; deep: number };
  seconds: number;
  /** One entry per requested iteration budget (gradient modes only). */
  budgets?: BudgetChoice[];
  /** Tensors this adaptation owns (freed by disposeAdaptation). */
  owned: tf.Tensor[];
}

/** The shift score: the method's alignment loss of the source model (all layers, all pixels, running statistics). */
function methodObjective(model: AttuneModel, batch: StatsBatch): Objective {
  return alignmentObjective(model, batch, { layers: model.arch.bnLayers, pixels: 'all', reference: runningReference(model.weights, model.arch.bnLayers) });
}

/** The objective a mode's settings name. */
function objectiveOf(model: AttuneModel, batch: StatsBatch, settings: AdaptSettings, callbacks: AdaptCallbacks): Objective {
  if (MODE_RECIPES[settings.mode].objective === 'entropy') return entropyObjective(model, batch);
  const layers = layersOf(model.arch, settings.layers);
  if (settings.pixels === 'brain') {
    if (!callbacks.brainReference) throw new Error('the brain-pixel variant aligns to the calibrated reference: run `attune calibrate` for this model (no calibration.json next to it)');
    return alignmentObjective(model, batch, { layers, pixels: 'brain', reference: callbacks.brainReference });
  }
  return alignmentObjective(model, batch, { layers, pixels: 'all', reference: runningReference(model.weights, layers) });
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
  const recipe = MODE_RECIPES[settings.mode];
  if (recipe.parameters && !tf.getGradient('Conv2D')) {
    // tfjs-core registers no gradients by itself; whoever sets up the backend must.
    throw new Error('tfjs gradient functions are not registered (src/worker and src/node/useNodeBackend register them)');
  }
  const batch = await makeStatsBatch(pre, settings.statsSlices, callbacks.adaptBatchSize);
  const finish = (partial: Omit<Adaptation, 'mode' | 'settings' | 'seconds'>): Adaptation => ({
    mode: settings.mode,
    settings,
    seconds: (performance.now() - t0) / 1000,
    ...partial,
  });
  try {
    const optimising = recipe.parameters !== null && settings.iterations > 0;
    // The method's own objective evaluates exactly the shift score at iteration 0: no extra pass then.
    const objectiveIsMethod = optimising && recipe.objective === 'alignment' && (settings.layers ?? 'all') === 'all' && (settings.pixels ?? 'all') === 'all';
    const shiftScore = objectiveIsMethod ? NaN : (await methodObjective(model, batch).evaluate(model.weights, null)).value;

    if (settings.mode === 'adabn') {
      callbacks.onIteration?.(0, shiftScore);
      callbacks.checkCancelled?.();
      // One training-mode-like pass: each BN normalises with its own input's moments, which
      // become the statistics for the whole volume.
      const kept = tf.tidy(() => {
        const { bnMoments } = forwardNetwork(model.weights, model.arch, batch.x, { bnStatistics: 'input' });
        return { bnMoments: bnMoments!, loss: klFor(model, bnMoments!) } as unknown as tf.TensorContainer;
      }) as unknown as { bnMoments: Record<string, BnMoments>; loss: tf.Scalar };
      const after = await scalarValue(kept.loss);
      const owned = Object.values(kept.bnMoments).flatMap((m) => [m.mean, m.variance]);
      try {
        callbacks.onIteration?.(1, after);
      } catch (e) {
        // The worker cancels from onIteration: the statistics must not outlive it.
        owned.forEach((t) => t.dispose());
        throw e;
      }
      return finish({ lossCurve: [shiftScore, after], chosenIteration: 1, shiftScore, weights: model.weights, bnStatisticsOverride: kept.bnMoments, owned });
    }

    if (settings.mode === 'bnmix') {
      const mix = await chooseBnMix(model, batch, callbacks);
      const owned = Object.values(mix.statistics).flatMap((m) => [m.mean, m.variance]);
      return finish({ lossCurve: mix.entropies, chosenIteration: mix.chosen, shiftScore, weights: model.weights, bnStatisticsOverride: mix.statistics, bnMix: mix.alphas, owned });
    }

    if (!optimising) {
      callbacks.onIteration?.(0, shiftScore);
      return finish({ lossCurve: [shiftScore], chosenIteration: 0, shiftScore, weights: model.weights, owned: [] });
    }

    const run = await optimiseParameters(
      model.weights,
      adaptableParameterNames(model.arch, settings.mode),
      objectiveOf(model, batch, settings, callbacks),
      minimumLossSelection(callbacks.iterationBudgets),
      settings,
      callbacks,
    );
    return finish({
      budgets: run.budgets.length ? run.budgets.map((b) => ({ iterations: b.iterations, chosenIteration: b.iteration, weights: run.withParams(b.params) })) : undefined,
      lossCurve: run.lossCurve,
      chosenIteration: run.kept.iteration,
      shiftScore: objectiveIsMethod ? run.lossCurve[0] : shiftScore,
      weights: run.withParams(run.kept.params),
      owned: [...run.kept.params, ...run.budgets.flatMap((b) => b.params)],
    });
  } finally {
    batch.dispose();
  }
}

const klFor = (model: AttuneModel, moments: Record<string, BnMoments>) => klAlignmentLoss(moments, model.weights, model.arch);

export function disposeAdaptation(a: Adaptation): void {
  a.owned.forEach((t) => t.dispose());
  a.owned = [];
}
