import { MODE_NAMES_PLAIN } from './modeWords.ts';
import type { AutoPolicy } from './policy.ts';
import { SIGNAL_LABELS, type SignalReading } from './signalReading.ts';

export interface AdaptChoice {
  adapt: boolean;
  reason: string;
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

/** Step 1 of `auto`: adapt only when the signal says the baseline is unlike every training scan. */
export function decideToAdapt(reading: SignalReading, policy: AutoPolicy): AdaptChoice {
  const what = `${SIGNAL_LABELS[reading.signal]} ${fmt(reading.value)}`;
  if (reading.ratio > policy.adaptAboveRatio) {
    return {
      adapt: true,
      reason: `baseline looks unreliable on this scan (${what}, ${fmt(reading.ratio)}× the highest training scan): adapted with ${MODE_NAMES_PLAIN[policy.settings.mode]}${policy.variant === policy.settings.mode ? '' : ` (${policy.variant})`}`,
    };
  }
  return {
    adapt: false,
    reason: `baseline kept without adapting: ${what} is within ${fmt(policy.adaptAboveRatio)}× the training scans' range (percentile ${reading.percentile.toFixed(0)})`,
  };
}
