import type { AdaptSettings } from '../tta/modes.ts';
import type { ReadableSignal } from './signalReading.ts';

/**
 * The `auto` mode's rule, in three steps, each a plain comparison so the reason can be said
 * in one sentence:
 * 1. adapt only when the baseline looks unreliable: the signal above `adaptAboveRatio` × the
 *    highest value among the training scans;
 * 2. adapt with one variant (`variant` names it: a mode plus variant settings);
 * 3. keep the adapted mask only if it did not drift: tumour volume changed by at most
 *    `maxVolumeChange` (relative) and, with `requireEntropyDrop`, the prediction inside the
 *    tumour became more confident; otherwise fall back to the baseline.
 */
export interface AutoPolicy {
  signal: ReadableSignal;
  adaptAboveRatio: number;
  variant: string;
  settings: AdaptSettings;
  maxVolumeChange: number;
  requireEntropyDrop: boolean;
}
