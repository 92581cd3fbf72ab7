import { describe, expect, it } from 'vitest';
import { AUTO_BASELINE_TARGET, AUTO_COST_TARGET, autoCost } from './autoCost.ts';

describe("auto's cost against the baseline alone and a run of its variant", () => {
  it('divides by each measured run', () => {
    // baseline 10 s; a TENT run 40 s (baseline + adaptation + segmentation); auto adapting 50 s.
    expect(autoCost(50, 10, 40)).toEqual({ seconds: 50, ratioToBaseline: 5, ratioToVariantRun: 1.25, met: true, metBaseline: true });
    // auto keeping the baseline: little more than the baseline, far under the variant run.
    expect(autoCost(12, 10, 40)).toMatchObject({ ratioToBaseline: 1.2, ratioToVariantRun: 0.3, met: true });
  });
  it(`fails the target above ${AUTO_COST_TARGET}× the variant run, and meets it at exactly ${AUTO_COST_TARGET}×`, () => {
    expect(autoCost(81, 10, 40).met).toBe(false);
    expect(autoCost(80, 10, 40).met).toBe(true);
  });
  it(`fails issue 23's target above ${AUTO_BASELINE_TARGET}× the baseline alone, and meets it at exactly ${AUTO_BASELINE_TARGET}×`, () => {
    expect(autoCost(61, 10, 70).metBaseline).toBe(false);
    expect(autoCost(60, 10, 70).metBaseline).toBe(true);
  });
  it('refuses a missing or impossible time instead of printing a ratio that cannot fail', () => {
    expect(() => autoCost(50, 10, NaN)).toThrow(/variant run time must be a positive number/);
    expect(() => autoCost(50, 0, 40)).toThrow(/baseline time/);
    expect(() => autoCost(50, 10, 5)).toThrow(/cannot be shorter/);
  });
});
