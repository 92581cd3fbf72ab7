import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { isGradientMode } from '../core/tta/index.ts';
import { createCaseSlice, type CaseSlice } from './caseSlice.ts';
import { createDisplaySlice, type DisplaySlice } from './displaySlice.ts';
import { createDicomSlice, type DicomSlice } from './dicomSlice.ts';
import { createEditSlice, type EditSlice } from './editSlice.ts';
import { createEngineSlice, type EngineSlice } from './engineSlice.ts';
import { createRawStudySlice, type RawStudySlice } from './rawStudySlice.ts';
import { createRunSlice, type RunSlice } from './runSlice.ts';
import { createSettingsSlice, persistedSettings, type SettingsSlice } from './settingsSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';

/**
 * The page's one zustand store, composed of slices that each own one concern (zustand's
 * slices pattern): the case being assembled (`caseSlice`), the model worker (`engineSlice`),
 * a run and its results (`runSlice`), the remembered settings (`settingsSlice`, the only part
 * persisted), what the views show (`viewSlice`, `displaySlice`) and the hand-corrected mask
 * (`editSlice`), a dropped DICOM study being converted (`dicomSlice`), and a raw scanner study
 * being prepared, checked and accepted (`rawStudySlice`). A slice reads
 * the others through `get()`; each keeps its own private state
 * (the worker keeper, the run in flight, the latest drop) in its creator, none at module level.
 */
export interface AttuneState extends CaseSlice, EngineSlice, RunSlice, SettingsSlice, ViewSlice, EditSlice, DisplaySlice, DicomSlice, RawStudySlice {}

// The types and constants components import from the store, wherever their slice defines them.
export type { EngineState } from './engineSlice.ts';
export type { MaskSummary, ModeOutcome, RunResults, RunState } from './runSlice.ts';
export { COMPARABLE_MODES, RUN_MODES, settingProblem, type RunMode } from './settingsSlice.ts';
export type { MaskSource, ViewState } from './viewSlice.ts';
/** AdaBN and none have no optimisation: their settings are fixed apart from the slices. */
export { isGradientMode };

export const useAttune = create<AttuneState>()(
  persist(
    (...a) => ({
      ...createCaseSlice(...a),
      ...createEngineSlice(...a),
      ...createRunSlice(...a),
      ...createSettingsSlice(...a),
      ...createViewSlice(...a),
      ...createEditSlice(...a),
      ...createDisplaySlice(...a),
      ...createDicomSlice(...a),
      ...createRawStudySlice(...a),
    }),
    persistedSettings,
  ),
);
