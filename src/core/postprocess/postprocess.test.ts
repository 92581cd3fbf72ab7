import { describe, expect, it } from 'vitest';
import { connectedComponents, postprocessLabels, removeSmallComponents, smallEtToNcr } from './index.ts';

type Dims = [number, number, number];
const DIMS: Dims = [12, 10, 8];
const at = ([X, Y]: Dims, i: number, j: number, k: number) => i + X * (j + Y * k);

/** A volume with boxes of labels written in (inclusive ranges). */
function volume(dims: Dims, boxes: [number, [number, number], [number, number], [number, number]][]): Uint8Array {
  const v = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const [label, [i0, i1], [j0, j1], [k0, k1]] of boxes) {
    for (let k = k0; k <= k1; k++) for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) v[at(dims, i, j, k)] = label;
  }
  return v;
}

const count = (v: Uint8Array, label: number) => v.reduce((n, x) => n + (x === label ? 1 : 0), 0);

describe('connectedComponents', () => {
  it('counts 6-connected components and their sizes', () => {
    // a 3×3×3 cube (27), a 2-voxel bar, and a voxel touching the cube only diagonally (own component)
    const v = volume(DIMS, [[1, [1, 3], [1, 3], [1, 3]], [1, [8, 9], [5, 5], [5, 5]], [1, [4, 4], [4, 4], [4, 4]]]);
    const { ids, sizes } = connectedComponents(v, DIMS);
    expect(sizes.slice(1).sort((a, b) => a - b)).toEqual([1, 2, 27]);
    expect(ids[at(DIMS, 4, 4, 4)]).not.toBe(ids[at(DIMS, 3, 3, 3)]);
    expect(ids[at(DIMS, 0, 0, 0)]).toBe(0);
  });

  it('does not wrap around the grid edge (i = X−1 and i = 0 of the next row are not neighbours)', () => {
    const v = volume(DIMS, [[1, [11, 11], [2, 2], [0, 0]], [1, [0, 0], [3, 3], [0, 0]]]);
    expect(connectedComponents(v, DIMS).sizes.length - 1).toBe(2);
  });

  it('refuses a mask whose length does not match the dims', () => {
    expect(() => connectedComponents(new Uint8Array(5), DIMS)).toThrow(/mask has 5 voxels/);
  });
});

describe('removeSmallComponents', () => {
  // the tumour: ED shell with an ET/NCR core, all one component; plus a far-away 2-voxel speck of ET
  const tumour = volume(DIMS, [[2, [1, 5], [1, 5], [1, 5]], [4, [2, 4], [2, 4], [2, 4]], [1, [3, 3], [3, 3], [3, 3]], [4, [10, 11], [8, 8], [7, 7]]]);

  it('removes components under the threshold whatever their labels, keeps the rest unchanged', () => {
    const out = removeSmallComponents(tumour, DIMS, 3);
    expect(out[at(DIMS, 10, 8, 7)]).toBe(0);
    expect(out[at(DIMS, 11, 8, 7)]).toBe(0);
    const kept = tumour.slice();
    kept[at(DIMS, 10, 8, 7)] = kept[at(DIMS, 11, 8, 7)] = 0;
    expect(out).toEqual(kept); // labels of the kept component (1, 2, 4 mixed) are untouched
    expect(tumour[at(DIMS, 10, 8, 7)]).toBe(4); // the input is not modified
  });

  it('a component of exactly the threshold stays; 0 or 1 keeps everything', () => {
    expect(removeSmallComponents(tumour, DIMS, 2)).toEqual(tumour);
    expect(removeSmallComponents(tumour, DIMS, 0)).toEqual(tumour);
    expect(count(removeSmallComponents(tumour, DIMS, 126), 0)).toBe(DIMS[0] * DIMS[1] * DIMS[2]); // 125 + 2: both go
  });
});

describe('smallEtToNcr', () => {
  const v = volume(DIMS, [[2, [1, 5], [1, 5], [1, 5]], [4, [2, 3], [2, 3], [2, 2]]]); // 4 ET voxels

  it('relabels all ET as NCR when there is less than the threshold', () => {
    const out = smallEtToNcr(v, 5);
    expect(count(out, 4)).toBe(0);
    expect(count(out, 1)).toBe(4);
    expect(count(out, 2)).toBe(count(v, 2));
  });

  it('keeps ET at or above the threshold, and a volume without ET as it is', () => {
    expect(smallEtToNcr(v, 4)).toEqual(v);
    const noEt = volume(DIMS, [[2, [1, 2], [1, 2], [1, 2]]]);
    expect(smallEtToNcr(noEt, 100)).toEqual(noEt);
  });
});

describe('postprocessLabels', () => {
  it('removes components before counting ET: a speck of ET removed leaves the core ET alone', () => {
    // core ET 8 voxels, speck ET 3 voxels (its own component); threshold ET 10: 11 ≥ 10 before, 8 < 10 after
    const v = volume(DIMS, [[2, [1, 5], [1, 5], [1, 5]], [4, [2, 3], [2, 3], [2, 3]], [4, [9, 11], [8, 8], [7, 7]]]);
    const out = postprocessLabels(v, DIMS, { minComponentVoxels: 5, minEtVoxels: 10 });
    expect(count(out, 4)).toBe(0);
    expect(count(out, 1)).toBe(8);
    expect(postprocessLabels(v, DIMS, { minComponentVoxels: 0, minEtVoxels: 10 })).toEqual(v);
  });
});
