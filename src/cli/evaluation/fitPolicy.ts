import { DEFAULT_POLICY } from '../../core/decision/defaultPolicy.ts';
import { decideFromEvidence } from '../../core/decision/autoAdapt.ts';
import { READABLE_SIGNALS, type ReadableSignal } from '../../core/decision/signalReading.ts';
import type { AutoPolicy } from '../../core/decision/policy.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { meanClassDice } from '../../core/metrics/dice.ts';
import type { EvaluationRecord } from './types.ts';

/** Thresholds tried, as multiples of the highest training-scan value (0: adapt every scan, the guards still apply; ∞: never). */
export const RATIO_GRID = [0, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, Infinity];

export interface PolicyOutcome {
  kept: 'baseline' | 'adapted';
  adaptedWith: string | null;
  reason: string;
  dice: number;
}

/** What a policy keeps on one scan, and that mask's mean class Dice. */
export function applyPolicy(calibration: Calibration, policy: AutoPolicy, r: EvaluationRecord): PolicyOutcome {
  const d = decideFromEvidence(calibration, policy, r.baseline.evidence, (name) => r.variants[name]?.evidence);
  const dice = d.kept === 'adapted' && d.adaptedWith ? meanClassDice(r.variants[d.adaptedWith]) : meanClassDice(r.baseline);
  return { kept: d.kept, adaptedWith: d.adaptedWith, reason: d.reason, dice };
}

/** Every candidate policy: signal × threshold × variant (variants every record has), with the shipped guards. */
export function candidatePolicies(records: EvaluationRecord[], base: AutoPolicy = DEFAULT_POLICY): AutoPolicy[] {
  const variants = Object.keys(records[0]?.variants ?? {}).filter((v) => records.every((r) => r.variants[v]));
  const out: AutoPolicy[] = [];
  for (const signal of READABLE_SIGNALS) {
    if (!records.every((r) => Number.isFinite(r.baseline.evidence[signal as ReadableSignal]))) continue;
    for (const adaptAboveRatio of RATIO_GRID) {
      for (const variant of variants) {
        out.push({ ...base, signal, adaptAboveRatio, variant, settings: records[0].variants[variant].settings });
      }
    }
  }
  return out;
}

/**
 * Mean Dice differences smaller than this are not told apart when fitting: on a dozen scans,
 * one scan or one seed moves a mean by about as much (BENCHMARKS.md, issue 6's limits).
 */
export const FIT_TOLERANCE = 0.005;

/**
 * The policy fitted on these records: among the candidates whose mean Dice is within
 * FIT_TOLERANCE of the best, the one that adapts the fewest scans (each adaptation costs a
 * clinician's wait and is a chance to hurt an unseen scan), then the higher mean Dice, then
 * the earlier candidate.
 */
export function fitPolicy(calibration: Calibration, records: EvaluationRecord[], base: AutoPolicy = DEFAULT_POLICY): AutoPolicy {
  const scored = candidatePolicies(records, base).map((policy) => {
    const outcomes = records.map((r) => applyPolicy(calibration, policy, r));
    return { policy, dice: outcomes.reduce((a, o) => a + o.dice, 0) / outcomes.length, adapted: outcomes.filter((o) => o.adaptedWith !== null).length };
  });
  if (!scored.length) throw new Error('fitPolicy: no candidate policy (no records, or no signal measured on every scan)');
  const top = Math.max(...scored.map((s) => s.dice));
  const near = scored.filter((s) => s.dice >= top - FIT_TOLERANCE);
  near.sort((a, b) => a.adapted - b.adapted || b.dice - a.dice);
  return near[0].policy;
}

/**
 * Leave-one-scan-out: for each source scan, the policy fitted on every record of the other
 * sources (a shifted copy is never in the fit of its own source), applied to its records.
 */
export function leaveOneScanOut(calibration: Calibration, records: EvaluationRecord[], base: AutoPolicy = DEFAULT_POLICY): Map<string, { policy: AutoPolicy; outcome: PolicyOutcome }> {
  const out = new Map<string, { policy: AutoPolicy; outcome: PolicyOutcome }>();
  for (const source of [...new Set(records.map((r) => r.source))]) {
    const policy = fitPolicy(calibration, records.filter((r) => r.source !== source), base);
    for (const r of records.filter((x) => x.source === source)) out.set(r.case, { policy, outcome: applyPolicy(calibration, policy, r) });
  }
  return out;
}
