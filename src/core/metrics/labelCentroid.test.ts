import { describe, expect, it } from 'vitest';
import { labelCentroid } from './labelCentroid.ts';

describe('labelCentroid', () => {
  it('is the mean (i, j, k) of labelled voxels, i fastest', () => {
    const dims: [number, number, number] = [4, 3, 2];
    const labels = new Uint8Array(24);
    labels[1 + 4 * (2 + 3 * 1)] = 1; // (1, 2, 1)
    labels[3 + 4 * (0 + 3 * 1)] = 4; // (3, 0, 1)
    expect(labelCentroid(labels, dims)).toEqual([2, 1, 1]);
  });

  it('is null without labels', () => {
    expect(labelCentroid(new Uint8Array(24), [4, 3, 2])).toBeNull();
  });
});
