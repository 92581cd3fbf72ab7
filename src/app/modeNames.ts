import type { MaskSource, RunMode } from './store.ts';

/** How modes and masks are named on screen. */
export const MODE_NAMES: Record<RunMode, string> = {
  auto: 'Automatic',
  none: 'No adaptation',
  normalizer: 'Normalizer',
  bn: 'BN',
  tent: 'TENT',
  adabn: 'AdaBN',
  bnmix: 'BN blend',
};

export const MODE_HINTS: Record<RunMode, string> = {
  auto: 'Segments, reads the baseline’s evidence against in-domain scans the model did not train on, and when the baseline looks unreliable adapts with each candidate (TENT, bn-brain) and keeps the one whose evidence improved — or the baseline — and says why.',
  none: 'Baseline only: the shipped model as trained.',
  normalizer: 'Updates only the per-modality normalizer CNNs to align batch-norm statistics (the method).',
  bn: 'Updates only the scale/offset of the early batch-norm layers to align their statistics (the method).',
  tent: 'Baseline from the literature: minimises prediction entropy on the same BN parameters.',
  adabn: 'Baseline from the literature: replaces BN running statistics with this scan’s, no gradient.',
  bnmix: 'No gradient: blends BN statistics towards this scan’s, per depth; the blend with the most confident prediction is kept.',
};

export function maskSourceName(source: MaskSource): string {
  if (source === 'label') return 'Expert label';
  if (source === 'baseline') return 'Baseline (no adaptation)';
  if (source === 'edited') return 'Edited';
  return source === 'auto' ? 'Automatic (kept mask)' : `Adapted: ${MODE_NAMES[source]}`;
}
