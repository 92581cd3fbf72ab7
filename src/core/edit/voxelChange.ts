/**
 * One edit of a label map, stored as the voxels it touched with their values before and
 * after — small for a brush stroke, and enough to undo and redo it exactly.
 */
export interface VoxelChange {
  /** Linear voxel indices (i + X·(j + Y·k)), ascending, each once. */
  index: Uint32Array;
  before: Uint8Array;
  after: Uint8Array;
}

/** Builds the change that sets `indices` (in any order, repeats allowed) to `value`; null when nothing would change. */
export function changeTo(labels: Uint8Array, indices: Iterable<number>, value: number): VoxelChange | null {
  const touched = [...new Set(indices)].filter((n) => labels[n] !== value).sort((a, b) => a - b);
  if (touched.length === 0) return null;
  return {
    index: Uint32Array.from(touched),
    before: Uint8Array.from(touched, (n) => labels[n]),
    after: new Uint8Array(touched.length).fill(value),
  };
}

/** A copy of `labels` with the change applied forwards ('redo') or reverted ('undo'). */
export function applyChange(labels: Uint8Array, change: VoxelChange, direction: 'redo' | 'undo' = 'redo'): Uint8Array {
  const out = labels.slice();
  const values = direction === 'redo' ? change.after : change.before;
  for (let n = 0; n < change.index.length; n++) out[change.index[n]] = values[n];
  return out;
}
