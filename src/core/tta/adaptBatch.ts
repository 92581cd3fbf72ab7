import type { AdaptMode } from './modes.ts';

/**
 * Memory one statistics slice costs an adaptation step, per pixel of the cropped slice:
 * every activation the backward pass keeps, measured as wasm heap growth on a real case
 * (BraTS2021_00324, 192×144 slices, 8 at once: bn 2659 MiB, normalizer 3059 MiB;
 * BENCHMARKS.md). TENT keeps what bn keeps plus the softmax; `none` and AdaBN run no
 * backward pass (AdaBN's single pass must see all slices at once).
 */
export const ADAPT_BYTES_PER_PIXEL: Record<AdaptMode, number> = {
  none: 0,
  adabn: 0,
  bn: 12_600,
  tent: 13_000,
  normalizer: 14_500,
};

/** Adaptation working memory Attune aims to stay under (issue 7's P3 target is 1 GiB). */
export const DEFAULT_ADAPT_MEMORY_BUDGET = 768 * 2 ** 20;

/**
 * Statistics slices per forward/backward pass so that one pass fits `budgetBytes`: all K
 * when they fit, else fewer (≥ 1). Results do not depend on it (adaptCase pools the
 * moments), only memory and a little time do.
 */
export function adaptBatchFor(mode: AdaptMode, sliceHeight: number, sliceWidth: number, statsSlices: number, budgetBytes = DEFAULT_ADAPT_MEMORY_BUDGET): number {
  const perSlice = ADAPT_BYTES_PER_PIXEL[mode] * sliceHeight * sliceWidth;
  if (perSlice === 0) return statsSlices;
  return Math.max(1, Math.min(statsSlices, Math.floor(budgetBytes / perSlice)));
}
