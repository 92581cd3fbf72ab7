/**
 * Where the shift score (the KL alignment loss of the shipped weights on a scan, i.e.
 * iteration 0 of the loss curve) is read as "close to training data", "moderate" or "far".
 *
 * Measured with the shipped model (models/attune-brats-inst18/README.md, BENCHMARKS.md):
 * training scans of institution 18 score 0.39, 0.63, 1.30, 3.38, 4.29, 4.44 and (one) 33.0;
 * held-out institution-18 scans 21.7 and 31.8; institution-1 scans 5.1 and 17.4; simulated
 * scanner shifts 23.1 and 31.8. So below 5 a scan is where 6 of 7 training scans are, and from
 * 20 it is beyond every institution-1 scan measured. The score does NOT separate institutions
 * reliably (it also reflects tumour and anatomy), and on these data adaptation did not help
 * consistently, so the advice never promises that it will. The single place the thresholds live.
 */
export const SHIFT_READING_THRESHOLDS = {
  /** Below this: as close to the training statistics as most training scans (6 of 7). */
  close: 5,
  /** At or above this: farther than any institution-1 scan measured. */
  far: 20,
  provisional: false,
} as const;

export type ShiftLevel = 'close' | 'moderate' | 'far';

export interface ShiftReading {
  level: ShiftLevel;
  /** A short phrase for the badge. */
  label: string;
  /** One sentence for a clinician. */
  advice: string;
}

export function readShiftScore(score: number, thresholds: { close: number; far: number } = SHIFT_READING_THRESHOLDS): ShiftReading {
  if (!Number.isFinite(score)) {
    return { level: 'far', label: 'not measurable', advice: 'The scan’s features could not be compared with the training data; check the input.' };
  }
  if (score < thresholds.close) {
    return { level: 'close', label: 'close to training data', advice: 'Its feature statistics are as close to training as most training scans; adaptation should change little.' };
  }
  if (score < thresholds.far) {
    return { level: 'moderate', label: 'moderately shifted', advice: 'Its feature statistics differ somewhat from training (scanner, protocol or tumour); compare the baseline and adapted masks.' };
  }
  return { level: 'far', label: 'far from training data', advice: 'Its feature statistics are far from training: expect lower accuracy; compare the baseline and adapted masks before trusting either.' };
}
