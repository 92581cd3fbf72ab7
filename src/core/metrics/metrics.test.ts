import { describe, expect, it } from 'vitest';
import { allDice, dice } from './dice.ts';
import { hd95, squaredDistanceTransform } from './hd95.ts';
import { pearson } from './pearson.ts';

const grid = (dims: [number, number, number], fill: (i: number, j: number, k: number) => number) => {
  const a = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let k = 0, n = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++, n++) a[n] = fill(i, j, k);
  return a;
};

describe('dice', () => {
  it('counts overlap of label unions and is null without reference', () => {
    const ref = Uint8Array.from([0, 1, 1, 2, 4, 4]);
    const pred = Uint8Array.from([0, 1, 2, 2, 4, 0]);
    expect(dice(pred, ref, [1])).toBeCloseTo((2 * 1) / (1 + 2));
    expect(dice(pred, ref, [1, 2, 4])).toBeCloseTo((2 * 4) / (4 + 5));
    expect(dice(pred, Uint8Array.from([0, 0, 0, 2, 2, 2]), [4])).toBeNull();
    const all = allDice(ref, ref);
    expect(all.WT).toBe(1);
    expect(all.TC).toBe(1);
  });
});

describe('hd95', () => {
  it('is 0 for identical regions and the shift for a translated cube (anisotropic spacing)', () => {
    const dims: [number, number, number] = [20, 20, 20];
    const cube = (o: number) => grid(dims, (i, j, k) => (i >= 5 + o && i < 12 + o && j >= 5 && j < 12 && k >= 5 && k < 12 ? 1 : 0));
    expect(hd95(cube(0), cube(0), [1], dims, [1, 1, 1])).toBe(0);
    expect(hd95(cube(3), cube(0), [1], dims, [2, 1, 1])).toBeCloseTo(6, 5); // 3 voxels × 2 mm
    expect(hd95(cube(0), grid(dims, () => 0), [1], dims, [1, 1, 1])).toBeNull();
    expect(hd95(grid(dims, () => 0), cube(0), [1], dims, [1, 1, 1])).toBeCloseTo(Math.hypot(20, 20, 20));
  });

  it('distance transform matches brute force', () => {
    const dims: [number, number, number] = [7, 6, 5];
    const f = grid(dims, (i, j, k) => ((i * 7 + j * 3 + k * 5) % 11 === 0 ? 1 : 0));
    const sp: [number, number, number] = [1, 1.5, 2.5];
    const d = squaredDistanceTransform(f, dims, sp);
    const pts: number[][] = [];
    for (let k = 0, n = 0; k < 5; k++) for (let j = 0; j < 6; j++) for (let i = 0; i < 7; i++, n++) if (f[n]) pts.push([i, j, k]);
    for (let k = 0, n = 0; k < 5; k++) for (let j = 0; j < 6; j++) for (let i = 0; i < 7; i++, n++) {
      const bf = Math.min(...pts.map(([a, b, c]) => ((a - i) * sp[0]) ** 2 + ((b - j) * sp[1]) ** 2 + ((c - k) * sp[2]) ** 2));
      expect(d[n]).toBeCloseTo(bf, 9);
    }
  });
});

describe('pearson', () => {
  it('is ±1 for linear relations and null when undefined', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(pearson([1], [1])).toBeNull();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('allDice (one pass)', () => {
  it('equals dice per class and region on random label maps', async () => {
    const { DICE_KEYS, DICE_LABELS } = await import('./dice.ts');
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = [0, 1, 2, 4];
    for (let trial = 0; trial < 5; trial++) {
      const pred = Uint8Array.from({ length: 500 }, () => values[Math.floor(rnd() * 4)]);
      const ref = Float32Array.from({ length: 500 }, () => values[Math.floor(rnd() * (trial === 0 ? 3 : 4))]);
      const all = allDice(pred, ref);
      for (const k of DICE_KEYS) expect(all[k]).toBe(dice(pred, ref, DICE_LABELS[k]));
    }
  });
});
