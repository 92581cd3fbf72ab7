import type { Architecture } from '../model/contract.ts';

export const ADAPT_MODES = ['none', 'normalizer', 'bn', 'tent', 'adabn'] as const;
export type AdaptMode = (typeof ADAPT_MODES)[number];
export type OptimizerName = 'sgd' | 'adam';

export interface AdaptSettings {
  mode: AdaptMode;
  optimizer: OptimizerName;
  learningRate: number;
  /** Optimisation steps; the loss curve has iterations + 1 points (iteration 0 = no change). */
  iterations: number;
  /** K of the statistics slices (the contract's default is the model's `statsSlices`). */
  statsSlices: number;
}

/**
 * Names of the tensors a mode updates: `normalizer` the four normalizer CNNs, `bn` and
 * `tent` the BN scale/offset of the input block and the down-sampling blocks (`adaptBn`
 * of the contract). `none` and `adabn` update no parameter.
 */
export function adaptableParameterNames(arch: Architecture, mode: AdaptMode): string[] {
  if (mode === 'normalizer') {
    return arch.modalities.flatMap((m) => [1, 2, 3].flatMap((i) => [`norm_${m}_conv${i}/kernel`, `norm_${m}_conv${i}/bias`]));
  }
  if (mode === 'bn' || mode === 'tent') return arch.adaptBn.flatMap((bn) => [`${bn}/gamma`, `${bn}/beta`]);
  return [];
}

export function parseMode(s: string): AdaptMode {
  if ((ADAPT_MODES as readonly string[]).includes(s)) return s as AdaptMode;
  throw new Error(`unknown adaptation mode "${s}" (expected one of ${ADAPT_MODES.join(', ')})`);
}
