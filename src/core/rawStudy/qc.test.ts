import { describe, expect, it } from 'vitest';
import type { Grid } from '../registration/index.ts';
import { atlasBrainOnGrid, brainCentre, compareVolumes, maskOutline, qcOverlay, studyQc } from './index.ts';
import type { PreparedStudy } from './prepareRawStudy.ts';

const grid = (dims: [number, number, number], mm: [number, number, number]): Grid => ({ dims, affine: [[mm[0], 0, 0, 0], [0, mm[1], 0, 0], [0, 0, mm[2], 0], [0, 0, 0, 1]] });

describe('maskOutline', () => {
  it('keeps the voxels of a mask that touch its outside, not its inside', () => {
    const dims: [number, number, number] = [7, 7, 7];
    const cube = new Uint8Array(343);
    for (let k = 1; k <= 5; k++) for (let j = 1; j <= 5; j++) for (let i = 1; i <= 5; i++) cube[i + 7 * (j + 7 * k)] = 1;
    const outline = maskOutline(cube, dims);
    // A 5³ cube: 125 voxels, of which the 3³ inside are not on its surface.
    expect(outline.reduce((a, b) => a + b, 0)).toBe(125 - 27);
    expect(outline[3 + 7 * (3 + 7 * 3)]).toBe(0); // the centre
    expect(outline[1 + 7 * (3 + 7 * 3)]).toBe(1); // a face
    expect(outline[0]).toBe(0); // outside the mask
  });
  it('a wider outline goes that many voxels in', () => {
    const dims: [number, number, number] = [9, 9, 9];
    const cube = new Uint8Array(729);
    for (let k = 1; k <= 7; k++) for (let j = 1; j <= 7; j++) for (let i = 1; i <= 7; i++) cube[i + 9 * (j + 9 * k)] = 1;
    expect(maskOutline(cube, dims, 2).reduce((a, b) => a + b, 0)).toBe(343 - 27); // 7³ less its 3³ core
  });
  it('a mask reaching the grid edge is outlined there', () => {
    const full = new Uint8Array(27).fill(1);
    const outline = maskOutline(full, [3, 3, 3]);
    expect(outline.reduce((a, b) => a + b, 0)).toBe(26);
  });
});

describe('atlasBrainOnGrid', () => {
  it("is the atlas's foreground resampled onto the grid", () => {
    const g = grid([10, 10, 10], [1, 1, 1]);
    const values = new Float32Array(1000);
    for (let n = 0; n < 1000; n++) values[n] = n % 10 < 5 ? 100 : 0; // i < 5 is brain
    const coarse = grid([5, 5, 5], [2, 2, 2]);
    const onCoarse = atlasBrainOnGrid({ grid: g, values }, coarse);
    // coarse voxel i sits at x = 2i: brain for x < 4 (i = 0, 1), the edge voxel x = 4 interpolates to 100 → brain too.
    expect(Array.from(onCoarse.slice(0, 5))).toEqual([1, 1, 1, 0, 0]);
  });
});

describe('compareVolumes', () => {
  it('counts mL on each grid and says the difference', () => {
    const atlasGrid = grid([10, 10, 10], [1, 1, 1]);
    const nativeGrid = grid([5, 5, 2], [2, 2, 5]); // 20 mm³ = 0.02 mL a voxel
    const atlas = new Uint8Array(1000);
    atlas.fill(2, 0, 500); // 0.5 mL edema
    atlas.fill(4, 500, 600); // 0.1 mL ET
    const native = new Uint8Array(50);
    native.fill(2, 0, 30); // 0.6 mL
    const c = compareVolumes(atlas, atlasGrid, native, nativeGrid);
    expect(c.atlas.totalMl).toBeCloseTo(0.6, 9);
    expect(c.atlas.byLabel[4]).toBeCloseTo(0.1, 9);
    expect(c.native.totalMl).toBeCloseTo(0.6, 9);
    expect(c.differenceMl).toBeCloseTo(0, 9);
    native.fill(1, 30, 33); // + 0.06 mL
    const d = compareVolumes(atlas, atlasGrid, native, nativeGrid);
    expect(d.differenceMl).toBeCloseTo(0.06, 9);
    expect(d.differenceFraction).toBeCloseTo(0.1, 9);
    expect(d.sentence).toBe("Whole tumour 0.7 mL on the T1Gd's own grid, 0.6 mL on the atlas grid: +0.1 mL (+10.0 %), from carrying the mask onto the T1Gd's voxels (nearest neighbour through the registration).");
    expect(compareVolumes(new Uint8Array(1000), atlasGrid, new Uint8Array(50), nativeGrid).sentence).toBe('No tumour on either grid.');
  });
});

describe('studyQc', () => {
  const reg = (brainDice: number, pair: 'toAtlas' | 'sameSubject', problem: string | null) => ({ quality: { brainDice, nmi: 1.3 }, pair, problem, atlasToNative: [], onAtlas: new Float32Array(0) });
  it('lists the four registrations against their bars; a poor one blocks Accept with its reason', () => {
    const prepared = {
      registration: {
        modalities: {
          t1ce: reg(0.9, 'toAtlas', null),
          t1: reg(0.97, 'sameSubject', null),
          t2: reg(0.8, 'sameSubject', 'T2 onto the T1Gd: the registration looks wrong (brain overlap 0.80, below 0.95); …'),
          flair: reg(0.96, 'sameSubject', null),
        },
      },
    } as unknown as PreparedStudy;
    const qc = studyQc(prepared);
    expect(qc.series.map((s) => [s.pair, s.minBrainDice, s.passes])).toEqual([
      ['T1Gd → atlas', 0.85, true],
      ['T1 → T1Gd', 0.95, true],
      ['T2 → T1Gd', 0.95, false],
      ['FLAIR → T1Gd', 0.95, true],
    ]);
    expect(qc.blockers).toEqual(['T2 onto the T1Gd: the registration looks wrong (brain overlap 0.80, below 0.95); …']);
  });
});

describe('qcOverlay', () => {
  it("draws the study brain's outline and the atlas brain's over it", () => {
    const dims: [number, number, number] = [7, 7, 7];
    const atlas = new Uint8Array(343);
    for (let k = 2; k <= 4; k++) for (let j = 2; j <= 4; j++) for (let i = 2; i <= 4; i++) atlas[i + 7 * (j + 7 * k)] = 1;
    const brain = new Uint8Array(343).fill(1);
    const o = qcOverlay(brain, atlas, dims, 1);
    expect(o[3 + 7 * (3 + 7 * 3)]).toBe(0); // inside both: no line
    expect(o[2 + 7 * (3 + 7 * 3)]).toBe(2); // the atlas outline
    expect(o[0]).toBe(1); // the study brain's outline (the grid's edge here)
    expect(o[1 + 7 * (3 + 7 * 3)]).toBe(0); // inside the study brain, outside the atlas's
    expect(qcOverlay(new Uint8Array(343), new Uint8Array(343), dims).every((v) => v === 0)).toBe(true);
  });
});

describe('brainCentre', () => {
  it("is the mask's centre of mass in world mm, the grid's centre when empty", () => {
    const g = grid([4, 4, 4], [2, 2, 3]);
    const m = new Uint8Array(64);
    m[1 + 4 * (2 + 4 * 3)] = 1;
    m[3 + 4 * (2 + 4 * 3)] = 1;
    expect(brainCentre(m, g)).toEqual([4, 4, 9]);
    expect(brainCentre(new Uint8Array(64), g)).toEqual([3, 3, 4.5]);
  });
});
