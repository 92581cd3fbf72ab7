import { isNoTumour, type BaselineReading, type ReadableSignal } from '../decision/signalReading.ts';

/** Short names of the decision signals, for a badge. */
export const SIGNAL_SHORT_NAMES: Record<ReadableSignal, string> = {
  tumourEntropy: 'Uncertainty inside the tumour',
  featureZ: 'Low-level feature shift',
  featureKl: 'Low-level feature KL',
  flipDisagreement: 'Left–right disagreement',
};

/**
 * Why the method's shift score gets no verdict: measured on held-out scans it was higher on
 * in-domain validation scans (21.7, 31.8) than on failing scans from other institutions
 * (3.7–7.4); its deep layers follow tumour and anatomy, not the scanner (issue 15).
 */
export const SHIFT_SCORE_NOTE =
  'The method’s KL alignment loss of the shipped model (iteration 0). It is not read as near or far: on held-out scans it followed tumour and anatomy more than the scanner.';

export type SignalLevel = 'within' | 'beyond' | 'noTumour';

export interface SignalWords {
  level: SignalLevel;
  /** A short phrase for the badge. */
  label: string;
  /** One sentence for a clinician. */
  advice: string;
}

/**
 * The words for a signal reading. Two levels about where the scan falls among the training
 * scans' own values, because that is all a 10-scan calibration supports (what a level has
 * meant for accuracy is measured in BENCHMARKS.md, "Adapt when it helps"); and a third when a
 * tumour signal had no tumour to measure, which says so rather than place the scan anywhere.
 */
export function describeSignalReading(r: BaselineReading): SignalWords {
  if (isNoTumour(r)) {
    return {
      level: 'noTumour',
      label: r.noTumour === 'scan' ? 'no tumour predicted' : 'no tumour on the slices it reads',
      advice: `No reading: ${r.reason}. ${r.noTumour === 'scan' ? 'The model found no tumour in this scan; if you expected one, check the scans and the mask closely.' : 'Check the small tumour the mask shows closely.'}`,
    };
  }
  // Held-out reference scans (issue 23) are in-domain scans the model did not learn from.
  const heldOut = r.reference === 'held-out';
  const scans = heldOut ? 'held-out in-domain scans' : 'training scans';
  if (r.ratio <= 1) {
    return {
      level: 'within',
      label: `within the ${scans}’ range`,
      advice: `At or below the highest value among the ${scans} (percentile ${r.percentile.toFixed(0)}): on this measure the scan looks like ${heldOut ? 'scans from the hospital the model was trained at' : 'the ones the model learned from'}. That does not guarantee the mask; check it as usual.`,
    };
  }
  return {
    level: 'beyond',
    label: `beyond every ${heldOut ? 'held-out in-domain scan' : 'training scan'}`,
    advice: `${r.ratio.toFixed(1)}× the highest value among the ${scans}: on this measure the scan is unlike ${heldOut ? 'scans from the hospital the model was trained at' : 'every scan the model learned from'}. Check the mask closely before trusting it.`,
  };
}
