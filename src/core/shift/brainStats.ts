import type { BrainStats } from './types.ts';

/** 1 where the value is ≠ 0: this modality's share of the brain mask (model contract §2.1). */
export function supportOf(values: ArrayLike<number>): Uint8Array {
  const support = new Uint8Array(values.length);
  for (let n = 0; n < values.length; n++) if (values[n] !== 0) support[n] = 1;
  return support;
}

/** Quantiles of the support's values (linear interpolation between order statistics). */
export function brainStats(values: ArrayLike<number>, support: Uint8Array): BrainStats {
  let count = 0;
  for (let n = 0; n < support.length; n++) count += support[n];
  const sorted = new Float64Array(count);
  for (let n = 0, m = 0; n < support.length; n++) if (support[n]) sorted[m++] = values[n];
  sorted.sort();
  const quantile = (p: number) => {
    if (count === 0) return 0;
    const at = Math.min(Math.max(p, 0), 1) * (count - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, count - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  };
  return { count, quantile, median: quantile(0.5) };
}
