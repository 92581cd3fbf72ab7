/**
 * Where the shift score (the KL alignment loss of the shipped weights on a scan, i.e.
 * iteration 0 of the loss curve) is read as "close to training data", "moderate" or "far".
 *
 * These must come from measured data: the score's distribution on in-domain scans
 * (institution 18, held out) versus shifted ones (institution 1 and simulated scanner
 * shifts) with the shipped model. PROVISIONAL: 0.05 / 0.15 are placeholders until those
 * measurements are written into BENCHMARKS.md and copied here — the single place the
 * thresholds live.
 */
export const SHIFT_READING_THRESHOLDS = {
  /** Below this: as close to the training data as the training scans themselves. */
  close: 0.05,
  /** At or above this: far from the training data; adaptation recommended. */
  far: 0.15,
  provisional: true,
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
    return { level: 'close', label: 'close to training data', advice: 'This scan looks like the scans the model was trained on; adaptation should change little.' };
  }
  if (score < thresholds.far) {
    return { level: 'moderate', label: 'moderately shifted', advice: 'This scan differs somewhat from the training scans; adaptation may help.' };
  }
  return { level: 'far', label: 'far: adaptation recommended', advice: 'This scan differs clearly from the training scans (another scanner or protocol); use the adapted mask.' };
}
