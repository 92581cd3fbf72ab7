import { describe, expect, it } from 'vitest';
import { detectLabelConvention, exportConvention, fromInternalLabels, parseLabelConvention, toInternalLabels } from './labelConventions.ts';

describe('label conventions (BraTS 2021: ET = 4; BraTS 2023+: ET = 3)', () => {
  it('detects the convention from the values present', () => {
    expect(detectLabelConvention([0, 1, 2, 4])).toEqual({ kind: 'ok', convention: 'brats2021' });
    expect(detectLabelConvention([0, 1, 2, 3])).toEqual({ kind: 'ok', convention: 'brats2023' });
    expect(detectLabelConvention([3])).toEqual({ kind: 'ok', convention: 'brats2023' });
    expect(detectLabelConvention([0, 1, 2])).toEqual({ kind: 'ok', convention: null });
    expect(detectLabelConvention([0])).toEqual({ kind: 'ok', convention: null });
    expect(detectLabelConvention([0, 3, 4])).toEqual({ kind: 'both-et' });
    expect(detectLabelConvention([0, 1, 5, 2.5, Number.NaN])).toEqual({ kind: 'foreign', values: [5, 2.5, Number.NaN] });
  });

  it('converts in and out, and round-trips', () => {
    const given2023 = Float32Array.from([0, 1, 2, 3, 3, 0]);
    const internal = toInternalLabels(given2023, 'brats2023');
    expect(Array.from(internal)).toEqual([0, 1, 2, 4, 4, 0]);
    expect(Array.from(fromInternalLabels(internal, 'brats2023'))).toEqual([0, 1, 2, 3, 3, 0]);
    const out2021 = fromInternalLabels(internal, 'brats2021');
    expect(Array.from(out2021)).toEqual([0, 1, 2, 4, 4, 0]);
    expect(out2021).not.toBe(internal); // a new array: the caller's mask is never changed
    expect(Array.from(toInternalLabels([0, 1, 2, 4], 'brats2021'))).toEqual([0, 1, 2, 4]);
  });

  it('chooses the export convention: the label map’s unless one is asked for; BraTS 2021 without one', () => {
    expect(exportConvention('match', 'brats2023')).toBe('brats2023');
    expect(exportConvention('match', null)).toBe('brats2021');
    expect(exportConvention('brats2021', 'brats2023')).toBe('brats2021');
    expect(exportConvention('brats2023', null)).toBe('brats2023');
  });

  it('parses CLI / settings spellings', () => {
    expect(parseLabelConvention('2021')).toBe('brats2021');
    expect(parseLabelConvention('BraTS2023')).toBe('brats2023');
    expect(parseLabelConvention('brats-2024')).toBe('brats2023');
    expect(parseLabelConvention('2022')).toBeNull();
  });
});
