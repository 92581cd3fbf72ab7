import { DEFAULT_POLICY } from '../../core/decision/defaultPolicy.ts';
import { decideFromEvidence } from '../../core/decision/autoAdapt.ts';
import { READABLE_SIGNALS, type ReadableSignal } from '../../core/decision/signalReading.ts';
import type { AutoPolicy } from '../../core/decision/policy.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { meanDice } from './dice.ts';
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
  const dice = d.kept === 'adapted' && d.adaptedWith ? meanDice(r.variants[d.adaptedWith].dice) : meanDice(r.baseline.dice);
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
 * The policy with the highest mean Dice on these records; ties go to the one that adapts
 * fewer scans, then to the earlier candidate (a higher threshold never loses a tie to a lower one).
 */
export function fitPolicy(calibration: Calibration, records: EvaluationRecord[], base: AutoPolicy = DEFAULT_POLICY): AutoPolicy {
  let best: { policy: AutoPolicy; dice: number; adapted: number } | null = null;
  for (const policy of candidatePolicies(records, base)) {
    const outcomes = records.map((r) => applyPolicy(calibration, policy, r));
    const dice = outcomes.reduce((a, o) => a + o.dice, 0) / outcomes.length;
    const adapted = outcomes.filter((o) => o.adaptedWith !== null).length;
    if (!best || dice > best.dice + 1e-12 || (Math.abs(dice - best.dice) <= 1e-12 && adapted < best.adapted)) best = { policy, dice, adapted };
  }
  if (!best) throw new Error('fitPolicy: no candidate policy (no records, or no signal measured on every scan)');
  return best.policy;
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
