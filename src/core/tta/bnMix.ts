import * as tf from '@tensorflow/tfjs-core';
import type { AttuneModel } from '../model/decodeModel.ts';
import { forwardNetwork, type BnMoments } from '../model/network.ts';
import { entropyMap } from '../model/pixelMaps.ts';
import { shallowLayers } from './parameters.ts';
import type { StatsBatch } from './statsBatch.ts';

/** The blend weights tried for the shallow and for the deep layers (16 pairs, (0, 0) = the source model). */
export const BN_MIX_ALPHAS = [0, 0.25, 0.5, 1] as const;

export interface BnMixChoice {
  /** Mean brain-pixel prediction entropy of each pair, in grid order (shallow-major). */
  entropies: number[];
  /** Index into the grid of the kept pair. */
  chosen: number;
  alphas: { shallow: number; deep: number };
  /** The blended statistics of the kept pair, per BN layer (owned by the caller). */
  statistics: Record<string, BnMoments>;
}

export const bnMixGrid = (): { shallow: number; deep: number }[] =>
  BN_MIX_ALPHAS.flatMap((shallow) => BN_MIX_ALPHAS.map((deep) => ({ shallow, deep })));

/**
 * Backward-free adaptation: every BN layer normalises with its running statistics blended
 * towards the scan's own (α per depth: one for the shallow layers, one for the deep), and the
 * pair with the lowest mean prediction entropy over the brain pixels of the statistics slices
 * is kept — an unsupervised criterion, forward passes only. Ties keep the earlier pair, so
 * the source model (0, 0) wins unless blending is strictly more confident.
 */
export async function chooseBnMix(model: AttuneModel, batch: StatsBatch, callbacks: { onIteration?: (i: number, loss: number) => void; checkCancelled?: () => void } = {}): Promise<BnMixChoice> {
  const shallow = new Set(shallowLayers(model.arch));
  const grid = bnMixGrid();
  const entropies: number[] = [];
  let best: { index: number; entropy: number; statistics: Record<string, BnMoments> } | null = null;
  const free = (s: Record<string, BnMoments>) => Object.values(s).forEach((m) => { m.mean.dispose(); m.variance.dispose(); });
  try {
    for (const [index, a] of grid.entries()) {
      callbacks.checkCancelled?.();
      const bnMix = Object.fromEntries(model.arch.bnLayers.map((l) => [l, shallow.has(l) ? a.shallow : a.deep]));
      const out = tf.tidy(() => {
        const { logits, bnMoments } = forwardNetwork(model.weights, model.arch, batch.x, { bnMix, collectBnMoments: true });
        const brain = batch.parts.length === 1 ? batch.parts[0].brain : tf.concat(batch.parts.map((p) => p.brain), 0);
        const entropy = tf.div(tf.sum(tf.mul(entropyMap(logits), brain)), Math.max(batch.brainPixels, 1));
        return { entropy, statistics: bnMoments! } as unknown as tf.TensorContainer;
      }) as unknown as { entropy: tf.Scalar; statistics: Record<string, BnMoments> };
      const e = (await out.entropy.data())[0];
      out.entropy.dispose();
      entropies.push(e);
      if (best === null || e < best.entropy) {
        if (best) free(best.statistics);
        best = { index, entropy: e, statistics: out.statistics };
      } else free(out.statistics);
      callbacks.onIteration?.(index, e);
    }
  } catch (err) {
    if (best) free((best as { statistics: Record<string, BnMoments> }).statistics);
    throw err;
  }
  const kept = best!;
  return { entropies, chosen: kept.index, alphas: grid[kept.index], statistics: kept.statistics };
}
