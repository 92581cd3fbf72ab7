/**
 * `auto`'s cost target (P1 for auto, issue 22): its total time against two runs measured in
 * the same bench run, on the same page — the baseline alone (a `none` run) and a run of the
 * variant it adapts with (baseline + that variant's adaptation + the adapted segmentation,
 * timed as one run with the policy's own settings). auto pays for its evidence (feature
 * moments, the flip check) on top of that run when it adapts, and skips the adaptation when
 * it does not; the target bounds the first.
 */
export const AUTO_COST_TARGET = 2;
/** Issue 23's target: `auto`'s total time ≤ 6× the baseline alone, on its worst scan (every candidate run). */
export const AUTO_BASELINE_TARGET = 6;

export interface AutoCost {
  seconds: number;
  /** auto / the baseline alone. */
  ratioToBaseline: number;
  /** auto / a run of the variant it adapts with. */
  ratioToVariantRun: number;
  /** ratioToVariantRun ≤ AUTO_COST_TARGET. */
  met: boolean;
  /** ratioToBaseline ≤ AUTO_BASELINE_TARGET. */
  metBaseline: boolean;
}

/** The ratios of one auto run; every time must be a real measurement (a missing one would make a ratio that can never fail). */
export function autoCost(autoSeconds: number, baselineSeconds: number, variantRunSeconds: number): AutoCost {
  for (const [name, v] of [['auto', autoSeconds], ['baseline', baselineSeconds], ['variant run', variantRunSeconds]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`autoCost: the ${name} time must be a positive number of seconds, got ${v}`);
  }
  if (variantRunSeconds < baselineSeconds) throw new Error(`autoCost: a run of the variant (${variantRunSeconds} s) includes the baseline (${baselineSeconds} s) and cannot be shorter`);
  const ratioToVariantRun = autoSeconds / variantRunSeconds;
  const ratioToBaseline = autoSeconds / baselineSeconds;
  return { seconds: autoSeconds, ratioToBaseline, ratioToVariantRun, met: ratioToVariantRun <= AUTO_COST_TARGET, metBaseline: ratioToBaseline <= AUTO_BASELINE_TARGET };
}
