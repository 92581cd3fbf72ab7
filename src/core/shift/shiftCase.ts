import type { MriCase } from '../case/index.ts';
import { MODALITIES, type Modality } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';
import { parseSeed, parseSeverity, parseShiftPreset, presetSteps, type ShiftPresetName } from './presets.ts';
import { shiftVolume } from './shiftVolume.ts';
import type { Severity, ShiftStep } from './types.ts';

export interface ShiftOptions {
  preset: string;
  severity: number | string;
  /** Default 1. Same seed → same voxels. */
  seed?: number | string;
}

export interface ShiftedCase {
  preset: ShiftPresetName;
  severity: Severity;
  seed: number;
  /** The shifted scans and a copy of the label map (unchanged). */
  mriCase: MriCase;
  /** The concrete steps each modality went through, for the record (`shift.json`). */
  steps: Record<Modality, ShiftStep[]>;
}

export const DEFAULT_SHIFT_SEED = 1;

/**
 * A scanner/protocol-like shift of a whole case: each modality gets the preset's steps
 * with its own random streams; the label map is copied unchanged; the input case is not
 * modified. Throws a specific message for an unknown preset, severity or seed.
 */
export function shiftCase(mri: MriCase, options: ShiftOptions): ShiftedCase {
  const preset = parseShiftPreset(options.preset);
  const severity = parseSeverity(options.severity);
  const seed = parseSeed(options.seed ?? DEFAULT_SHIFT_SEED);
  const steps = {} as Record<Modality, ShiftStep[]>;
  const modalities = {} as Record<Modality, NiftiVolume>;
  MODALITIES.forEach((m, stream) => {
    steps[m] = presetSteps(preset, severity, seed, stream);
    modalities[m] = shiftVolume(mri.modalities[m], steps[m]);
  });
  const label = mri.label ? shiftVolume(mri.label, []) : null;
  return { preset, severity, seed, steps, mriCase: { modalities, label, labelConvention: mri.labelConvention } };
}
