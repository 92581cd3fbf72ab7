import type { AdaptedEvidence, BaselineEvidence } from '../../signals/evidence.ts';

/** A candidate's score under a rule (higher = more convincing), or why the rule cannot score it. */
export type SelectionScore = { score: number; said: string } | { unscored: string };

/**
 * One way to judge an adapted candidate from its after-evidence against the baseline's,
 * without labels. Scores are relative improvements (0 = no change), so one threshold
 * (`AutoPolicy.minImprovement`) reads the same for every rule.
 */
export interface SelectionRule {
  name: string;
  /** What it compares, for the report and the rule's sentence. */
  summary: string;
  score(baseline: BaselineEvidence, adapted: AdaptedEvidence): SelectionScore;
}

/** (before − after) / before: the relative fall of a signal where lower is better. */
export function relativeFall(before: number, after: number): number {
  return before > 0 ? (before - after) / before : 0;
}
