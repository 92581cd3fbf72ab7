import { applyChange, type VoxelChange } from './voxelChange.ts';

/** Undo/redo stacks of an edited label map (most recent last). */
export interface EditHistory {
  done: VoxelChange[];
  undone: VoxelChange[];
}

export const EMPTY_HISTORY: EditHistory = { done: [], undone: [] };

/**
 * Steps kept for undo. A stroke stores only the voxels it touched (a few kB), so many steps
 * are cheap; the cap only bounds a very long session.
 */
export const MAX_UNDO_STEPS = 200;

export interface Edited {
  labels: Uint8Array;
  history: EditHistory;
}

/** Applies a new change: it becomes the latest undo step and clears the redo stack. */
export function commitChange(labels: Uint8Array, history: EditHistory, change: VoxelChange | null): Edited {
  if (!change) return { labels, history };
  const done = [...history.done, change].slice(-MAX_UNDO_STEPS);
  return { labels: applyChange(labels, change, 'redo'), history: { done, undone: [] } };
}

/** Reverts the latest step (no-op when there is none). */
export function undoChange(labels: Uint8Array, history: EditHistory): Edited {
  const change = history.done.at(-1);
  if (!change) return { labels, history };
  return { labels: applyChange(labels, change, 'undo'), history: { done: history.done.slice(0, -1), undone: [...history.undone, change] } };
}

/** Re-applies the latest undone step (no-op when there is none). */
export function redoChange(labels: Uint8Array, history: EditHistory): Edited {
  const change = history.undone.at(-1);
  if (!change) return { labels, history };
  return { labels: applyChange(labels, change, 'redo'), history: { done: [...history.done, change], undone: history.undone.slice(0, -1) } };
}
