import { describe, expect, it } from 'vitest';
import { MODALITIES } from '../modality/index.ts';
import { makeSyntheticCase } from './syntheticCase.ts';

describe('makeSyntheticCase', () => {
  it('is deterministic: same seed, same bytes', () => {
    const a = makeSyntheticCase({ seed: 9 });
    const b = makeSyntheticCase({ seed: 9 });
    for (const role of [...MODALITIES, 'seg'] as const) expect(a.files[role].bytes).toEqual(b.files[role].bytes);
    expect(makeSyntheticCase({ seed: 10 }).labels).not.toEqual(a.labels);
  });

  it('has all three tumour regions, nested inside a non-zero brain', () => {
    const c = makeSyntheticCase();
    const counts = [1, 2, 4].map((v) => c.labels.filter((l) => l === v).length);
    counts.forEach((n) => expect(n).toBeGreaterThan(50));
    for (let n = 0; n < c.labels.length; n++) {
      if (c.labels[n] !== 0) for (const m of MODALITIES) expect(c.images[m][n]).toBeGreaterThan(0);
    }
  });

  it('gives each modality its own contrast (ET bright on T1Gd, edema bright on FLAIR)', () => {
    const c = makeSyntheticCase();
    const meanWhere = (m: (typeof MODALITIES)[number], label: number) => {
      let sum = 0, count = 0;
      c.labels.forEach((l, n) => {
        if (l === label) { sum += c.images[m][n]; count++; }
      });
      return sum / count;
    };
    expect(meanWhere('t1ce', 4)).toBeGreaterThan(1.5 * meanWhere('t1', 4));
    expect(meanWhere('flair', 2)).toBeGreaterThan(1.5 * meanWhere('t1', 2));
    expect(meanWhere('t2', 1)).toBeGreaterThan(2 * meanWhere('t1ce', 1));
  });
});
