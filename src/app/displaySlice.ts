import type { StateCreator } from 'zustand';
import type { AttuneState } from './store.ts';

/**
 * What the label overlays show, shared by every view (main viewer, before/after panes, 3D):
 * labels switched off by the user (BraTS label values). A slice of its own (zustand's slices
 * pattern) so the main store object does not grow.
 */
export interface DisplaySlice {
  hiddenLabels: number[];
  setLabelShown(value: number, shown: boolean): void;
}

export const createDisplaySlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], DisplaySlice> = (set, get) => ({
  hiddenLabels: [],
  setLabelShown(value, shown) {
    const hidden = get().hiddenLabels.filter((v) => v !== value);
    set({ hiddenLabels: shown ? hidden : [...hidden, value].sort((a, b) => a - b) });
  },
});
