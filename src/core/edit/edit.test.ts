import { describe, expect, it } from 'vitest';
import { regionVolumes } from '../metrics/index.ts';
import { voxelToWorld, worldToVoxel } from '../volume/index.ts';
import { applyChange, commitChange, EMPTY_HISTORY, type Edited, fillRegion, paintStroke, redoChange, sliceAxis, strokeVoxels, undoChange, type Dims } from './index.ts';

const dims: Dims = [8, 6, 4];
const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);
const blank = () => new Uint8Array(dims[0] * dims[1] * dims[2]);

describe('paintStroke', () => {
  it('paints a disc of the radius in the slice across the axis, nowhere else', () => {
    const labels = blank();
    const change = paintStroke(labels, dims, { axis: 2, points: [[3, 3, 1]], radius: 1, value: 2 })!;
    const painted = applyChange(labels, change);
    // Radius 1: the centre and its 4 neighbours (the corners are √2 away).
    expect([...change.index].sort((a, b) => a - b)).toEqual([at(3, 2, 1), at(2, 3, 1), at(3, 3, 1), at(4, 3, 1), at(3, 4, 1)].sort((a, b) => a - b));
    expect(painted.reduce((s, v) => s + (v === 2 ? 1 : 0), 0)).toBe(5);
    expect(labels.every((v) => v === 0)).toBe(true); // the input is never modified
  });
  it('covers the whole path between pointer positions, in the slice of the first point', () => {
    const covered = new Set(strokeVoxels(dims, { axis: 1, points: [[0, 2, 0], [7, 2.4, 3]], radius: 0 }));
    // Sagittal-like slice j = 2: a connected line from (0,·,0) to (7,·,3), every i present.
    for (let i = 0; i < 8; i++) expect([0, 1, 2, 3].some((k) => covered.has(at(i, 2, k)))).toBe(true);
    for (const n of covered) expect(Math.floor(n / dims[0]) % dims[1]).toBe(2);
  });
  it('erases (value 0) only what is painted, and reports nothing for a no-op', () => {
    const labels = blank().fill(4);
    const change = paintStroke(labels, dims, { axis: 0, points: [[5, 0, 0]], radius: 0, value: 0 })!;
    expect([...change.index]).toEqual([at(5, 0, 0)]);
    expect([...change.before]).toEqual([4]);
    expect(paintStroke(blank(), dims, { axis: 0, points: [[5, 0, 0]], radius: 2, value: 0 })).toBeNull();
    expect(paintStroke(labels, dims, { axis: 2, points: [[1, 1, 9]], radius: 1, value: 1 })).toBeNull(); // outside the grid
  });
});

describe('fillRegion', () => {
  // A closed ring of ED (2) in slice k = 1 around (3, 2)… (4, 3).
  const ring = () => {
    const l = blank();
    for (let i = 2; i <= 5; i++) for (let j = 1; j <= 4; j++) if (i === 2 || i === 5 || j === 1 || j === 4) l[at(i, j, 1)] = 2;
    return l;
  };
  it('fills the inside of a closed outline in the slice only', () => {
    const labels = ring();
    const out = fillRegion(labels, dims, 2, [3.4, 2.6, 1], 2);
    expect(out.change).not.toBeNull();
    if (!out.change) return;
    expect(out.voxels).toBe(4);
    expect([...out.change.index]).toEqual([at(3, 2, 1), at(4, 2, 1), at(3, 3, 1), at(4, 3, 1)]);
    const filled = applyChange(labels, out.change);
    expect(filled[at(3, 2, 0)]).toBe(0);
    expect(filled[at(3, 2, 2)]).toBe(0);
  });
  it('refuses a region that reaches the slice edge, and a seed already of that label', () => {
    expect(fillRegion(ring(), dims, 2, [0, 0, 1], 2)).toEqual({ change: null, reason: 'not-closed' });
    expect(fillRegion(ring(), dims, 2, [2, 1, 1], 2)).toEqual({ change: null, reason: 'same-label' });
    expect(fillRegion(ring(), dims, 2, [-1, 1, 1], 2)).toEqual({ change: null, reason: 'outside' });
  });
  it('relabels a closed tumour region (ED → NCR) without touching its neighbours', () => {
    const labels = ring();
    const out = fillRegion(labels, dims, 2, [2, 2, 1], 1);
    if (!out.change) throw new Error('expected a fill');
    expect(out.voxels).toBe(12); // the whole ring: it is the connected ED region
    expect(applyChange(labels, out.change)[at(3, 2, 1)]).toBe(0);
  });
});

describe('undo / redo', () => {
  it('undoes and redoes many steps exactly, and a new edit clears redo', () => {
    let s: Edited = { labels: blank(), history: EMPTY_HISTORY };
    const snapshots = [s.labels];
    for (let n = 0; n < 5; n++) {
      s = commitChange(s.labels, s.history, paintStroke(s.labels, dims, { axis: 2, points: [[n, n % 6, 2]], radius: 1, value: [1, 2, 4][n % 3] }));
      snapshots.push(s.labels);
    }
    expect(s.history.done).toHaveLength(5);
    for (let n = 4; n >= 0; n--) {
      s = undoChange(s.labels, s.history);
      expect(s.labels).toEqual(snapshots[n]);
    }
    expect(undoChange(s.labels, s.history).labels).toBe(s.labels); // nothing left to undo
    s = redoChange(s.labels, s.history);
    s = redoChange(s.labels, s.history);
    expect(s.labels).toEqual(snapshots[2]);
    s = commitChange(s.labels, s.history, paintStroke(s.labels, dims, { axis: 0, points: [[7, 5, 3]], radius: 0, value: 1 }));
    expect(s.history.undone).toEqual([]);
    expect(s.history.done).toHaveLength(3);
  });
});

describe('sliceAxis and worldToVoxel', () => {
  it('finds the voxel axis along a world axis and inverts voxelToWorld', () => {
    // A LPS-stored, axis-permuted grid: voxel j runs along world z, k along world y.
    const affine = [[-1, 0, 0, 120], [0, 0, 2, -30], [0, 1.5, 0, 10], [0, 0, 0, 1]];
    expect(sliceAxis(affine, 2)).toBe(1);
    expect(sliceAxis(affine, 1)).toBe(2);
    expect(sliceAxis(affine, 0)).toBe(0);
    const back = worldToVoxel(affine, voxelToWorld(affine, [3, 7, 11]));
    back.forEach((v, n) => expect(v).toBeCloseTo([3, 7, 11][n], 9));
  });
});

describe('regionVolumes', () => {
  it('counts ET, TC = NCR ∪ ET and WT = all labels', () => {
    const labels = Uint8Array.from([0, 1, 1, 2, 2, 2, 4, 0]);
    expect(regionVolumes(labels, 0.5).map((r) => [r.key, r.voxels, r.ml])).toEqual([['ET', 1, 0.5], ['TC', 3, 1.5], ['WT', 6, 3]]);
  });
});
