import type { Uncertainty } from '../model/segmentCase.ts';

/**
 * Mean prediction entropy (nats) over the voxels predicted tumour. A model on familiar
 * ground is confident inside what it calls tumour; on a scan it does not understand the
 * tumour it predicts is mostly uncertain boundary. Unlike the feature signals it does not
 * move under intensity changes the per-modality z-score absorbs. 0 when no tumour is
 * predicted (kept a number because the adapted-vs-baseline comparisons subtract it); it is
 * never *read* then: `readBaselineSignal` (core/decision) sees `tumourVoxels` 0 and answers
 * "no tumour" instead of a value that would sit below every training scan.
 */
export function tumourEntropy(u: Uncertainty): number {
  return u.tumourVoxels > 0 ? u.tumourEntropy : 0;
}
