import type { StateCreator } from 'zustand';
import type { PersistOptions } from 'zustand/middleware';
import type { ExportLabelsChoice } from '../core/labels/index.ts';
import { ADAPT_MODES, DEFAULT_SETTINGS, type AdaptMode, type AdaptSettings } from '../core/tta/index.ts';
import type { AttuneState } from './store.ts';

/**
 * The user's choices, remembered between visits (zustand's persist, `persistedSettings`):
 * settings per mode, the mode "Run" uses, the modes "Compare" runs, the export label
 * convention and post-processing. Only these are stored; never files, masks or results.
 */

/** Modes a user can run after the baseline ('none' = baseline only; 'auto' = adapt only when the evidence says so). */
export type RunMode = AdaptMode | 'auto';

export const COMPARABLE_MODES: RunMode[] = ['auto', 'normalizer', 'bn', 'tent', 'adabn', 'bnmix'];
export const RUN_MODES: RunMode[] = ['auto', ...ADAPT_MODES];

export interface SettingsSlice {
  /** Settings per mode (remembered between visits). */
  settings: Record<AdaptMode, AdaptSettings>;
  /** The mode "Run" adapts with. */
  selectedMode: RunMode;
  /** The modes "Compare" runs. */
  compareModes: RunMode[];
  /** Label convention of exported masks (remembered): as the label map given, or fixed. */
  exportLabels: ExportLabelsChoice;
  /** Post-process the masks (src/core/postprocess: small components, small-ET rule); on by default. */
  postprocess: boolean;
  setSettings(mode: AdaptMode, patch: Partial<Omit<AdaptSettings, 'mode'>>): void;
  resetSettings(mode: AdaptMode): void;
  setSelectedMode(mode: RunMode): void;
  setCompareMode(mode: RunMode, included: boolean): void;
  setExportLabels(choice: ExportLabelsChoice): void;
  setPostprocess(on: boolean): void;
}

/** Range checks of user-entered settings; the message says what is allowed. Null = valid. */
export function settingProblem(key: 'learningRate' | 'iterations' | 'statsSlices', value: number): string | null {
  if (!Number.isFinite(value)) return 'enter a number';
  if (key === 'learningRate') return value > 0 && value < 1 ? null : 'must be between 0 and 1 (e.g. 0.001)';
  if (key === 'iterations') return Number.isInteger(value) && value >= 1 && value <= 1000 ? null : 'a whole number 1…1000';
  return Number.isInteger(value) && value >= 1 && value <= 64 ? null : 'a whole number 1…64';
}

function validSettings(s: unknown, mode: AdaptMode): AdaptSettings {
  const d = DEFAULT_SETTINGS[mode];
  if (!s || typeof s !== 'object') return d;
  const v = s as Partial<AdaptSettings>;
  return {
    mode,
    optimizer: v.optimizer === 'sgd' || v.optimizer === 'adam' ? v.optimizer : d.optimizer,
    learningRate: typeof v.learningRate === 'number' && !settingProblem('learningRate', v.learningRate) ? v.learningRate : d.learningRate,
    iterations: typeof v.iterations === 'number' && !settingProblem('iterations', v.iterations) ? v.iterations : d.iterations,
    statsSlices: typeof v.statsSlices === 'number' && !settingProblem('statsSlices', v.statsSlices) ? v.statsSlices : d.statsSlices,
    ...(v.layers === 'shallow' ? { layers: 'shallow' as const } : {}),
    ...(v.pixels === 'brain' ? { pixels: 'brain' as const } : {}),
  };
}

export const createSettingsSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], SettingsSlice> = (set, get) => ({
  settings: { ...DEFAULT_SETTINGS },
  selectedMode: 'auto',
  compareModes: ['auto', 'bn'],
  exportLabels: 'match',
  postprocess: true,

  setSettings(mode, patch) {
    set({ settings: { ...get().settings, [mode]: { ...get().settings[mode], ...patch, mode } } });
  },

  resetSettings(mode) {
    set({ settings: { ...get().settings, [mode]: DEFAULT_SETTINGS[mode] } });
  },

  setSelectedMode(selectedMode) {
    set({ selectedMode });
  },

  setCompareMode(mode, included) {
    const chosen = new Set(get().compareModes);
    if (included) chosen.add(mode);
    else chosen.delete(mode);
    set({ compareModes: COMPARABLE_MODES.filter((m) => chosen.has(m)) });
  },

  setExportLabels(exportLabels) {
    set({ exportLabels });
  },

  setPostprocess(postprocess) {
    set({ postprocess });
  },
});

type Persisted = Pick<AttuneState, 'settings' | 'selectedMode' | 'compareModes' | 'exportLabels' | 'postprocess'>;

/** How the settings are remembered: what is stored, and how a stored (possibly old or hand-edited) copy is read back. */
export const persistedSettings: PersistOptions<AttuneState, Persisted> = {
  name: 'attune.settings',
  // 2: `auto` became the default mode; a choice remembered from version 1 predates it.
  version: 2,
  migrate: (persisted) => ({ ...(persisted as object), selectedMode: 'auto' }) as Persisted,
  // Only the user's choices are remembered; never files, masks or results.
  partialize: (s) => ({ settings: s.settings, selectedMode: s.selectedMode, compareModes: s.compareModes, exportLabels: s.exportLabels, postprocess: s.postprocess }),
  merge: (persisted, current) => {
    const p = (persisted ?? {}) as Partial<Persisted>;
    const exportLabels = (['match', 'brats2021', 'brats2023'] as const).find((c) => c === p.exportLabels) ?? current.exportLabels;
    const settings = Object.fromEntries(ADAPT_MODES.map((m) => [m, validSettings(p.settings?.[m], m)])) as Record<AdaptMode, AdaptSettings>;
    const selectedMode = RUN_MODES.includes(p.selectedMode as RunMode) ? (p.selectedMode as RunMode) : current.selectedMode;
    const compareModes = Array.isArray(p.compareModes) ? COMPARABLE_MODES.filter((m) => p.compareModes!.includes(m)) : current.compareModes;
    const postprocess = typeof p.postprocess === 'boolean' ? p.postprocess : current.postprocess;
    return { ...current, settings, selectedMode, compareModes, exportLabels, postprocess };
  },
};
