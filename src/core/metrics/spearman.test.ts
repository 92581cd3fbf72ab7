import { describe, expect, it } from 'vitest';
import { partialSpearman, ranks, spearman } from './spearman.ts';

describe('spearman', () => {
  it('ranks ties by their average rank', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
  it('is ±1 for any monotone relation and null without enough pairs', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [9, 4, 1, 0])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2], [2, 1])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
  it('partial: the first-order partial correlation of the ranks (value from numpy on the same ranks)', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [2, 1, 4, 3, 6, 5];
    const z = [1, 3, 2, 5, 4, 6];
    expect(spearman(x, y)).toBeCloseTo(0.8285714285714287, 12);
    expect(partialSpearman(x, y, z)).toBeCloseTo(0.9817025841567111, 12);
    expect(partialSpearman([1, 2, 3], [3, 1, 2], [1, 2, 3])).toBeNull(); // x = z in ranks: undefined
  });
});
