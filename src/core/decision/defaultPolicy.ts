import { DEFAULT_SETTINGS } from '../tta/defaults.ts';
import type { AutoPolicy } from './policy.ts';

/**
 * The shipped `auto` rule: the one `attune report --part evaluation` fits on its records
 * (bench/runs/evaluation: six held-out real scans and six shifted copies; every signal ×
 * threshold × variant, the guards fixed; within 0.005 mean Dice, the rule that adapts fewest
 * scans). Fitted 2026-12-02: adapt with TENT when the left–right flip disagreement of the
 * tumour exceeds 0.8× the highest training scan's; keep the adapted mask only if the tumour
 * volume changed by at most 50 % and the entropy inside the tumour fell. Its in-sample and
 * leave-one-scan-out results are in BENCHMARKS.md ("Adapt when it helps"); the guards were set
 * before the evaluation and not tuned on it.
 */
export const DEFAULT_POLICY: AutoPolicy = {
  signal: 'flipDisagreement',
  adaptAboveRatio: 0.8,
  variant: 'tent',
  settings: DEFAULT_SETTINGS.tent,
  maxVolumeChange: 0.5,
  requireEntropyDrop: true,
};
