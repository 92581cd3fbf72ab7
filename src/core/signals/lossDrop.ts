/**
 * Relative drop of an adaptation's objective from iteration 0 to the kept iterate:
 * (L₀ − L_kept) / L₀ ∈ [0, 1] (0 = the source model was kept). Large drops mean the scan's
 * statistics were far from what the objective wants; a drop near 0 means adaptation found
 * nothing to change.
 */
export function lossDrop(lossCurve: readonly number[], chosenIteration: number): number {
  const l0 = lossCurve[0];
  const kept = lossCurve[chosenIteration];
  if (!(l0 > 0) || !Number.isFinite(kept)) return 0;
  return Math.max(0, (l0 - kept) / l0);
}
