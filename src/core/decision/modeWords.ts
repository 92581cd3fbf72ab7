import type { AdaptMode } from '../tta/modes.ts';

/** Modes as a sentence names them. */
export const MODE_NAMES_PLAIN: Record<AdaptMode, string> = {
  none: 'no adaptation',
  normalizer: 'the normalizer',
  bn: 'BN adaptation',
  tent: 'TENT',
  adabn: 'AdaBN',
  bnmix: 'the BN statistics blend',
};
