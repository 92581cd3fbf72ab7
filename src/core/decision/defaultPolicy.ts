import { DEFAULT_SETTINGS } from '../tta/defaults.ts';
import type { AutoPolicy } from './policy.ts';

/**
 * The shipped `auto` rule. PROVISIONAL until the evaluation records are measured.
 */
export const DEFAULT_POLICY: AutoPolicy = {
  signal: 'tumourEntropy',
  adaptAboveRatio: 1,
  variant: 'tent',
  settings: DEFAULT_SETTINGS.tent,
  maxVolumeChange: 0.5,
  requireEntropyDrop: true,
};
