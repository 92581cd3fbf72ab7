export type { ShiftStep, ShiftKind, Severity, Grid, BrainStats, StepContext } from './types.ts';
export {
  SHIFT_PRESETS,
  SHIFT_PRESET_NAMES,
  parseShiftPreset,
  parseSeverity,
  parseSeed,
  presetSteps,
  presetTableMarkdown,
  type ShiftPresetName,
  type ShiftPreset,
  type PresetParam,
} from './presets.ts';
export { shiftCase, DEFAULT_SHIFT_SEED, type ShiftOptions, type ShiftedCase } from './shiftCase.ts';
export { shiftVolume, applyStep } from './shiftVolume.ts';
export { biasFieldOf } from './biasField.ts';
export { contrastKnots } from './intensity.ts';
export { slicesPerBlock } from './thickSlices.ts';
export { brainStats, supportOf } from './brainStats.ts';
