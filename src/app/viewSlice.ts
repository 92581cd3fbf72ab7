import type { StateCreator } from 'zustand';
import type { Modality } from '../core/index.ts';
import type { RunMode } from './settingsSlice.ts';
import type { AttuneState } from './store.ts';

/** What a viewer pane can show over the scan ('edited': the hand-corrected mask, editSlice.ts). */
export type MaskSource = 'label' | 'baseline' | 'edited' | RunMode;

export interface ViewState {
  left: MaskSource;
  right: MaskSource;
  /** Right pane shows changed voxels relative to the left pane instead of its mask. */
  showChanges: boolean;
}

/**
 * What the views show: the main viewer's modality and whether its label map is on, and the
 * two result panes (which masks, or the changed voxels). A finished run sets the panes to its
 * before/after (runSlice.ts); the labels switched off are displaySlice.ts's.
 */
export interface ViewSlice {
  viewModality: Modality;
  showLabels: boolean;
  view: ViewState;
  setViewModality(modality: Modality): void;
  setShowLabels(show: boolean): void;
  setView(patch: Partial<ViewState>): void;
}

export const createViewSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], ViewSlice> = (set, get) => ({
  viewModality: 't1ce',
  showLabels: true,
  view: { left: 'baseline', right: 'auto', showChanges: false },

  setViewModality(viewModality) {
    set({ viewModality });
  },

  setShowLabels(showLabels) {
    set({ showLabels });
  },

  setView(patch) {
    set({ view: { ...get().view, ...patch } });
  },
});
