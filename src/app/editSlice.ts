import type { StateCreator } from 'zustand';
import { physicalValues } from '../core/index.ts';
import {
  commitChange,
  EMPTY_HISTORY,
  fillRegion,
  paintStroke,
  redoChange,
  undoChange,
  type Axis,
  type EditHistory,
  type VoxelPoint,
} from '../core/edit/index.ts';
import { summariseMask } from './maskSummary.ts';
import type { AttuneState, MaskSource, MaskSummary, RunResults } from './store.ts';

/**
 * The editing slice of the store (zustand's slices pattern): a hand-corrected copy of one
 * result. It never changes the result it started from; it is its own mask ('edited'),
 * measured like every other (volumes, Dice), and dropped when the results it belongs to are.
 * Every voxel change is a call into core/edit.
 */
export type EditTool = 'brush' | 'eraser' | 'fill';

export interface EditedMask {
  /** The run this edit belongs to (an edit of other results is never shown). */
  results: RunResults;
  from: Exclude<MaskSource, 'edited'>;
  labels: Uint8Array;
  history: EditHistory;
  summary: MaskSummary;
}

export interface EditState {
  tool: EditTool;
  /** Label value the brush and the fill paint (a BraTS label value). */
  label: number;
  /** Brush radius in voxels. */
  radius: number;
  mask: EditedMask | null;
  /** Why the last action did nothing (e.g. a fill of a region that is not closed). */
  message: string | null;
}

export interface EditSlice {
  edit: EditState;
  /** Starts (or restarts) editing from a copy of `from`'s mask. */
  startEdit(from: Exclude<MaskSource, 'edited'>): void;
  setEditTool(patch: Partial<Pick<EditState, 'tool' | 'label' | 'radius'>>): void;
  /** A brush/eraser stroke (pointer path in voxel coordinates) in the slice across `axis`. */
  strokeEdit(axis: Axis, points: VoxelPoint[]): void;
  /** Fills the closed region around `seed` in its slice with the current label. */
  fillEdit(axis: Axis, seed: VoxelPoint): void;
  undoEdit(): void;
  redoEdit(): void;
  discardEdit(): void;
}

export const MIN_RADIUS = 0;
export const MAX_RADIUS = 20;

const NOT_FILLED: Record<string, string> = {
  'not-closed': 'Fill: that region is not closed in this slice (it reaches the edge) — draw a closed outline first.',
  'same-label': 'Fill: that region already has this label.',
  outside: 'Fill: click inside the scan.',
};

/** The mask a source names in these results (the expert label on the results' case). */
export function sourceMask(results: RunResults, source: Exclude<MaskSource, 'edited'>): Uint8Array | null {
  if (source === 'baseline') return results.baseline;
  if (source === 'label') {
    const label = results.mriCase.label;
    return label ? Uint8Array.from(physicalValues(label)) : null;
  }
  return results.modes.find((m) => m.mode === source)?.labels ?? null;
}

/** The edit of the current results, or null (an edit of earlier results does not count). */
export function currentEdit(s: Pick<AttuneState, 'results' | 'edit'>): EditedMask | null {
  return s.edit.mask && s.edit.mask.results === s.results ? s.edit.mask : null;
}

export const createEditSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], EditSlice> = (set, get, api) => {
  // New results (or none): the edit of the old ones is dropped with them.
  api.subscribe((s, prev) => {
    if (s.results !== prev.results && s.edit.mask && s.edit.mask.results !== s.results) set({ edit: { ...s.edit, mask: null, message: null } });
  });

  const update = (labels: Uint8Array, history: EditHistory, message: string | null = null) => {
    const mask = currentEdit(get());
    if (!mask) return;
    const summary = labels === mask.labels ? mask.summary : summariseMask(mask.results.mriCase, 'edited', labels);
    set({ edit: { ...get().edit, message, mask: { ...mask, labels, history, summary } } });
  };

  return {
    edit: { tool: 'brush', label: 2, radius: 2, mask: null, message: null },

    startEdit(from) {
      const results = get().results;
      const labels = results ? sourceMask(results, from) : null;
      if (!results || !labels) return;
      const copy = labels.slice();
      set({
        edit: { ...get().edit, message: null, mask: { results, from, labels: copy, history: EMPTY_HISTORY, summary: summariseMask(results.mriCase, 'edited', copy) } },
      });
    },

    setEditTool(patch) {
      const radius = patch.radius === undefined ? get().edit.radius : Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, Math.round(patch.radius)));
      set({ edit: { ...get().edit, ...patch, radius, message: null } });
    },

    strokeEdit(axis, points) {
      const mask = currentEdit(get());
      if (!mask || points.length === 0) return;
      const { tool, label, radius } = get().edit;
      const value = tool === 'eraser' ? 0 : label;
      const change = paintStroke(mask.labels, mask.results.mriCase.modalities.t1.dims, { axis, points, radius, value });
      const next = commitChange(mask.labels, mask.history, change);
      update(next.labels, next.history);
    },

    fillEdit(axis, seed) {
      const mask = currentEdit(get());
      if (!mask) return;
      const out = fillRegion(mask.labels, mask.results.mriCase.modalities.t1.dims, axis, seed, get().edit.label);
      if (!out.change) {
        set({ edit: { ...get().edit, message: NOT_FILLED[out.reason] } });
        return;
      }
      const next = commitChange(mask.labels, mask.history, out.change);
      update(next.labels, next.history);
    },

    undoEdit() {
      const mask = currentEdit(get());
      if (!mask) return;
      const next = undoChange(mask.labels, mask.history);
      update(next.labels, next.history);
    },

    redoEdit() {
      const mask = currentEdit(get());
      if (!mask) return;
      const next = redoChange(mask.labels, mask.history);
      update(next.labels, next.history);
    },

    discardEdit() {
      set({ edit: { ...get().edit, mask: null, message: null } });
    },
  };
};
