import { DEFAULT_POLICY } from '../../core/decision/defaultPolicy.ts';
import { decideFromEvidence } from '../../core/decision/autoAdapt.ts';
import { READABLE_SIGNALS, type ReadableSignal } from '../../core/decision/signalReading.ts';
import { SELECTION_NAMES } from '../../core/decision/selection/index.ts';
import type { AutoCandidate, AutoPolicy } from '../../core/decision/policy.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { meanClassDice } from '../../core/metrics/dice.ts';
import { AUTO_CANDIDATES } from './plan.ts';
import type { EvaluationRecord } from './types.ts';

/** Gate thresholds tried, as multiples of the highest reference scan's value (0: adapt every scan with a tumour; ∞: never). */
export const RATIO_GRID = [0, 0.8, 1, 1.25, 1.5, 2, Infinity];
/** The least relative improvement of the selection's evidence a candidate must show. */
export const MIN_IMPROVEMENT_GRID = [0, 0.05, 0.1, 0.2];
/** Tumour volume change beyond which a candidate is drift, not correction (issue 15 fixed 0.5 in advance; 1 is tried beside it). */
export const VOLUME_GRID = [0.5, 1];
/** A fitted rule may harm at most this share of the scans it is fitted on (by more than HARM). */
export const MAX_HARMED_SHARE = 0.1;
export const HARM = 0.01;

export interface PolicyOutcome {
  kept: 'baseline' | 'adapted';
  /** The kept candidate, or null. */
  adaptedWith: string | null;
  /** How many candidates it adapted with on this scan (0: it did not adapt). */
  candidatesRun: number;
  reason: string;
  dice: number;
}

/**
 * What a policy keeps on one recorded scan, and that mask's mean class Dice. A held-out scan
 * (and its shifted copies) is read against the calibration's other held-out scans, never
 * against itself.
 */
export function applyPolicy(calibration: Calibration, policy: AutoPolicy, r: EvaluationRecord): PolicyOutcome {
  const d = decideFromEvidence(calibration, policy, r.baseline.evidence, (name) => r.variants[name]?.evidence, { exclude: [r.source] });
  const dice = d.kept === 'adapted' && d.adaptedWith ? meanClassDice(r.variants[d.adaptedWith]) : meanClassDice(r.baseline);
  return { kept: d.kept, adaptedWith: d.adaptedWith, candidatesRun: d.candidates.length, reason: d.reason, dice };
}

/** Non-empty subsets of `auto`'s candidates that every record carries with their after-evidence, smallest first. */
export function candidateSets(records: EvaluationRecord[]): AutoCandidate[][] {
  const usable = AUTO_CANDIDATES.filter((v) => records.every((r) => r.variants[v]?.evidence.flipDisagreement !== undefined));
  const sets: AutoCandidate[][] = [];
  for (let mask = 1; mask < 1 << usable.length; mask++) {
    sets.push(usable.filter((_, i) => mask & (1 << i)).map((v) => ({ variant: v, settings: records[0].variants[v].settings })));
  }
  return sets.sort((a, b) => a.length - b.length);
}

/** Every candidate policy: gate (signal × threshold) × candidate set × selection rule × threshold × volume guard. */
export function candidatePolicies(records: EvaluationRecord[]): AutoPolicy[] {
  const sets = candidateSets(records);
  const signals = READABLE_SIGNALS.filter((s: ReadableSignal) => records.every((r) => r.baseline.evidence[s] !== undefined));
  const gates: Pick<AutoPolicy, 'signal' | 'adaptAboveRatio'>[] = [{ signal: DEFAULT_POLICY.signal, adaptAboveRatio: 0 }];
  for (const signal of signals) for (const ratio of RATIO_GRID) if (ratio > 0) gates.push({ signal, adaptAboveRatio: ratio });
  const out: AutoPolicy[] = [];
  for (const gate of gates) {
    for (const candidates of sets) {
      for (const selection of SELECTION_NAMES) {
        for (const minImprovement of MIN_IMPROVEMENT_GRID) {
          for (const maxVolumeChange of VOLUME_GRID) out.push({ ...gate, candidates, selection, minImprovement, maxVolumeChange });
        }
      }
    }
  }
  return out;
}

/**
 * Mean Dice differences smaller than this are not told apart when fitting: one scan or one
 * seed moves a mean over a few dozen scans by about as much (BENCHMARKS.md, issue 6's limits).
 */
export const FIT_TOLERANCE = 0.005;

interface Scored {
  policy: AutoPolicy;
  dice: number;
  harmed: number;
  /** Adaptations run over the records (candidates × scans adapted): what a clinician waits for. */
  runs: number;
}

function score(calibration: Calibration, policy: AutoPolicy, records: EvaluationRecord[]): Scored {
  const outcomes = records.map((r) => applyPolicy(calibration, policy, r));
  return {
    policy,
    dice: outcomes.reduce((a, o) => a + o.dice, 0) / outcomes.length,
    harmed: outcomes.filter((o, i) => o.dice < meanClassDice(records[i].baseline) - HARM).length,
    runs: outcomes.reduce((a, o) => a + o.candidatesRun, 0),
  };
}

/**
 * The policy fitted on these records: among the candidates that harm at most
 * MAX_HARMED_SHARE of them (all, if none does) and whose mean Dice is within FIT_TOLERANCE of
 * the best of those, the one that runs the fewest adaptations (each is a clinician's wait and
 * a chance to hurt an unseen scan), then the higher mean Dice, then the earlier candidate.
 */
export function fitPolicy(calibration: Calibration, records: EvaluationRecord[]): AutoPolicy {
  const all = candidatePolicies(records).map((p) => score(calibration, p, records));
  if (!all.length) throw new Error('fitPolicy: no candidate policy (no records, or no candidate recorded with its after-evidence on every scan)');
  const safe = all.filter((s) => s.harmed <= MAX_HARMED_SHARE * records.length);
  const pool = safe.length ? safe : all;
  const top = Math.max(...pool.map((s) => s.dice));
  const near = pool.filter((s) => s.dice >= top - FIT_TOLERANCE);
  near.sort((a, b) => a.runs - b.runs || b.dice - a.dice);
  return near[0].policy;
}

/**
 * Leave-one-scan-out: for each source scan, the policy fitted on every record of the other
 * sources (a shifted copy is never in the fit of its own source), applied to its records.
 */
export function leaveOneScanOut(calibration: Calibration, records: EvaluationRecord[]): Map<string, { policy: AutoPolicy; outcome: PolicyOutcome }> {
  const out = new Map<string, { policy: AutoPolicy; outcome: PolicyOutcome }>();
  for (const source of [...new Set(records.map((r) => r.source))]) {
    const policy = fitPolicy(calibration, records.filter((r) => r.source !== source));
    for (const r of records.filter((x) => x.source === source)) out.set(r.case, { policy, outcome: applyPolicy(calibration, policy, r) });
  }
  return out;
}
