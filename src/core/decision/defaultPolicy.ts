import { DEFAULT_SETTINGS } from '../tta/defaults.ts';
import type { AutoPolicy } from './policy.ts';

/** `bn-brain`: BN adaptation of the shallow layers on brain pixels, against the calibration's training-scan reference. */
export const BN_BRAIN_SETTINGS = { ...DEFAULT_SETTINGS.bn, layers: 'shallow', pixels: 'brain' } as const;

/**
 * The shipped `auto` rule: the one `attune report --part evaluation` fits on its records.
 * PROVISIONAL until the issue-23 records are complete.
 */
export const DEFAULT_POLICY: AutoPolicy = {
  signal: 'flipDisagreement',
  adaptAboveRatio: 0,
  candidates: [
    { variant: 'tent', settings: DEFAULT_SETTINGS.tent },
    { variant: 'bn-brain', settings: BN_BRAIN_SETTINGS },
  ],
  selection: 'entropyDrop',
  minImprovement: 0,
  maxVolumeChange: 0.5,
};
