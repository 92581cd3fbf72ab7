import { MODE_NAMES_PLAIN } from './modeWords.ts';
import type { AutoPolicy } from './policy.ts';
import { isNoTumour, referenceWord, SIGNAL_LABELS, type BaselineReading } from './signalReading.ts';

export interface AdaptChoice {
  adapt: boolean;
  reason: string;
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

/** The candidates as a sentence names them: "TENT and BN adaptation (bn-brain)". */
export function candidateWords(policy: AutoPolicy): string {
  const names = policy.candidates.map((c) => `${MODE_NAMES_PLAIN[c.settings.mode]}${c.variant === c.settings.mode ? '' : ` (${c.variant})`}`);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Step 1 of `auto`: adapt only when the signal is above the rule's threshold (a multiple of
 * the highest reference scan's value; 0: every scan with a tumour). A signal with no tumour to measure is no evidence that
 * the baseline is unreliable, so the baseline is kept, and the reason says why.
 */
export function decideToAdapt(reading: BaselineReading, policy: AutoPolicy): AdaptChoice {
  if (isNoTumour(reading)) {
    return { adapt: false, reason: `baseline kept without adapting: ${reading.reason}, and the rule adapts only when that signal says the baseline is unreliable` };
  }
  const what = `${SIGNAL_LABELS[reading.signal]} ${fmt(reading.value)}`;
  const where = `${fmt(reading.ratio)}× the highest ${referenceWord(reading)}'s, percentile ${reading.percentile.toFixed(0)}`;
  const threshold = `${fmt(policy.adaptAboveRatio)}× the highest ${referenceWord(reading)}'s`;
  if (policy.adaptAboveRatio === 0) {
    return { adapt: true, reason: `the rule adapts every scan with a tumour (${what}, ${where}): it adapted with ${candidateWords(policy)}` };
  }
  if (reading.ratio > policy.adaptAboveRatio) {
    return {
      adapt: true,
      reason: `baseline may be unreliable on this scan: ${what} (${where}) is above the rule's threshold of ${threshold}, so it adapted with ${candidateWords(policy)}`,
    };
  }
  return {
    adapt: false,
    reason: `baseline kept without adapting: ${what} (${where}) is not above the rule's threshold of ${threshold}`,
  };
}
