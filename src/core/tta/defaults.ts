import type { AdaptMode, AdaptSettings } from './modes.ts';

/**
 * Default settings per mode. Provisional values inside the method's stated ranges
 * (lr 1e-3…5e-3, 20–50 iterations); see BENCHMARKS.md for the numbers that chose them.
 */
export const DEFAULT_SETTINGS: Record<AdaptMode, AdaptSettings> = {
  none: { mode: 'none', optimizer: 'adam', learningRate: 0, iterations: 0, statsSlices: 8 },
  normalizer: { mode: 'normalizer', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  bn: { mode: 'bn', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  tent: { mode: 'tent', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  adabn: { mode: 'adabn', optimizer: 'adam', learningRate: 0, iterations: 1, statsSlices: 8 },
};
