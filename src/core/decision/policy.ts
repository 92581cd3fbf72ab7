import type { AdaptSettings } from '../tta/modes.ts';
import type { SelectionName } from './selection/index.ts';
import type { ReadableSignal } from './signalReading.ts';

/** One way `auto` may adapt: a named variant (a mode plus variant settings). */
export interface AutoCandidate {
  variant: string;
  settings: AdaptSettings;
}

/**
 * The `auto` mode's rule (issue 23: candidates first, then choose from what adapting did),
 * in three steps, each a plain comparison so the reason can be said in one sentence:
 * 1. adapt only when the baseline looks unreliable: `signal` above `adaptAboveRatio` × the
 *    highest value among the calibration's reference scans (0 = every scan with a tumour);
 * 2. adapt with each candidate, each from the shipped weights;
 * 3. keep the candidate the after-evidence favours (`selection`, one file per rule under
 *    `selection/`): a candidate qualifies only if the tumour volume changed by at most
 *    `maxVolumeChange` (relative) and its selection score reaches `minImprovement`; the
 *    best-scoring qualified candidate is kept, or the baseline when none qualifies.
 */
export interface AutoPolicy {
  signal: ReadableSignal;
  adaptAboveRatio: number;
  candidates: AutoCandidate[];
  selection: SelectionName;
  minImprovement: number;
  maxVolumeChange: number;
}
