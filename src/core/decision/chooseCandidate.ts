import type { AdaptedEvidence, BaselineEvidence } from '../signals/evidence.ts';
import type { AutoPolicy } from './policy.ts';
import { SELECTION_RULES } from './selection/index.ts';

/** What `auto` concluded about one candidate: what adapting did, and why it was kept or not. */
export interface CandidateVerdict {
  variant: string;
  evidence: AdaptedEvidence;
  /** The selection rule's score (relative improvement), or null when it could not score it. */
  score: number | null;
  /** Passed the guard and reached the rule's threshold. */
  qualified: boolean;
  kept: boolean;
  /** One clause: what adapting did (no verdict). */
  detail: string;
  /** "kept", "not kept" or "not kept: <other> scored higher". */
  verdict: string;
  /** `<variant>: <detail> — <verdict>`. */
  reason: string;
}

export interface CandidateChoice {
  /** The kept candidate's variant, or null: the baseline is kept. */
  kept: string | null;
  verdicts: CandidateVerdict[];
  /** One clause for the whole choice. */
  reason: string;
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** Guard and score one candidate (not yet compared with the others). */
function judge(baseline: BaselineEvidence, variant: string, adapted: AdaptedEvidence, policy: AutoPolicy): Omit<CandidateVerdict, 'kept' | 'detail' | 'verdict'> {
  const base = { variant, evidence: adapted };
  if (baseline.tumourVoxels === 0 && adapted.tumourVoxels === 0) {
    return { ...base, score: null, qualified: false, reason: 'neither the baseline nor the adapted model predicts any tumour in this scan' };
  }
  const change = adapted.volumeChange === Infinity ? 'tumour appeared from nothing' : `tumour volume changed ${pct(adapted.volumeChange)}`;
  if (!(adapted.volumeChange <= policy.maxVolumeChange)) {
    return { ...base, score: null, qualified: false, reason: `${change} (more than ${pct(policy.maxVolumeChange)} looks like drift, not correction)` };
  }
  if (adapted.tumourVoxels === 0) return { ...base, score: null, qualified: false, reason: 'the adapted mask has no tumour left' };
  const s = SELECTION_RULES[policy.selection].score(baseline, adapted);
  if ('unscored' in s) return { ...base, score: null, qualified: false, reason: `${change}, but ${s.unscored}` };
  const enough = s.score >= policy.minImprovement && s.score > 0;
  const by = `${s.said} (${s.score >= 0 ? 'fell' : 'rose'} ${pct(Math.abs(s.score))}`;
  return {
    ...base,
    score: s.score,
    qualified: enough,
    reason: `${change}, ${by}${policy.minImprovement > 0 ? (enough ? `, at least the rule's ${pct(policy.minImprovement)}` : `, short of the rule's ${pct(policy.minImprovement)}`) : ''})`,
  };
}

/**
 * Step 3 of `auto`: every candidate judged by the same guard and rule; the best-scoring
 * qualified one is kept (ties: the earlier candidate), or the baseline when none qualifies.
 */
export function chooseCandidate(baseline: BaselineEvidence, candidates: readonly { variant: string; evidence: AdaptedEvidence }[], policy: AutoPolicy): CandidateChoice {
  const judged = candidates.map((c) => judge(baseline, c.variant, c.evidence, policy));
  let best: (typeof judged)[number] | null = null;
  for (const j of judged) if (j.qualified && (best === null || j.score! > best.score!)) best = j;
  const verdicts = judged.map((j) => {
    const verdict = j === best ? 'kept' : j.qualified ? `not kept: ${best!.variant} scored higher` : 'not kept';
    return { ...j, kept: j === best, detail: j.reason, verdict, reason: `${j.variant}: ${j.reason} — ${verdict}` };
  });
  const reason = best
    ? `kept ${best.variant}'s mask (${verdicts.map((v) => v.reason).join('; ')})`
    : `kept the baseline: no candidate was convincingly better (${verdicts.map((v) => v.reason).join('; ')})`;
  return { kept: best?.variant ?? null, verdicts, reason };
}
