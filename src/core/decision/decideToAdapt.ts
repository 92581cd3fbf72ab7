import { MODE_NAMES_PLAIN } from './modeWords.ts';
import type { AutoPolicy } from './policy.ts';
import { isNoTumour, SIGNAL_LABELS, type BaselineReading } from './signalReading.ts';

export interface AdaptChoice {
  adapt: boolean;
  reason: string;
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

/**
 * Step 1 of `auto`: adapt only when the signal is above the rule's threshold (a multiple of
 * the highest training scan's value). A signal with no tumour to measure is no evidence that
 * the baseline is unreliable, so the baseline is kept, and the reason says why.
 */
export function decideToAdapt(reading: BaselineReading, policy: AutoPolicy): AdaptChoice {
  if (isNoTumour(reading)) {
    return { adapt: false, reason: `baseline kept without adapting: ${reading.reason}, and the rule adapts only when that signal says the baseline is unreliable` };
  }
  const what = `${SIGNAL_LABELS[reading.signal]} ${fmt(reading.value)}`;
  const where = `${fmt(reading.ratio)}× the highest training scan's, percentile ${reading.percentile.toFixed(0)}`;
  const threshold = `${fmt(policy.adaptAboveRatio)}× the highest training scan's`;
  if (reading.ratio > policy.adaptAboveRatio) {
    return {
      adapt: true,
      reason: `baseline may be unreliable on this scan: ${what} (${where}) is above the rule's threshold of ${threshold}, so it adapted with ${MODE_NAMES_PLAIN[policy.settings.mode]}${policy.variant === policy.settings.mode ? '' : ` (${policy.variant})`}`,
    };
  }
  return {
    adapt: false,
    reason: `baseline kept without adapting: ${what} (${where}) is not above the rule's threshold of ${threshold}`,
  };
}
