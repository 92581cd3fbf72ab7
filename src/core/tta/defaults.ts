import type { AdaptMode, AdaptSettings } from './modes.ts';

/**
 * Default settings per mode, chosen on institution-1 scans and simulated scanner shifts only
 * (never the in-domain validation scans unshifted, never the sealed acceptance data), with
 * the shipped model: BENCHMARKS.md "Choosing the adaptation defaults" has the grid.
 * - bn: Adam 1e-3 had the smallest mean Dice change (−0.011, WT +0.005) of the settings
 *   tried; Adam 5e-3 gained more WT (+0.011) but lost ET/TC (−0.07/−0.08).
 * - normalizer: Adam 1e-3 (−0.12 mean; the only setting the time allowed — each run is
 *   7–9 min per case on 2 cores); larger steps were not measured.
 * - tent: the same optimiser and step as bn (same parameters).
 * - statistics slices: 8, the K the shipped model's running statistics were recalibrated on.
 * 20 iterations: the lower end of the method's 20–50; the chosen iterate was 12–20.
 * - bnmix: no step size; its "iterations" are the 16 blends of `bnMixGrid` (0…15).
 * Variants (layers, pixels) default to the method as written: all layers, all pixels.
 */
export const DEFAULT_SETTINGS: Record<AdaptMode, AdaptSettings> = {
  none: { mode: 'none', optimizer: 'adam', learningRate: 0, iterations: 0, statsSlices: 8 },
  normalizer: { mode: 'normalizer', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  bn: { mode: 'bn', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  tent: { mode: 'tent', optimizer: 'adam', learningRate: 1e-3, iterations: 20, statsSlices: 8 },
  adabn: { mode: 'adabn', optimizer: 'adam', learningRate: 0, iterations: 1, statsSlices: 8 },
  bnmix: { mode: 'bnmix', optimizer: 'adam', learningRate: 0, iterations: 15, statsSlices: 8 },
};
