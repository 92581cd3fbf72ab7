import { describe, expect, it } from 'vitest';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { biasFieldOf } from './biasField.ts';
import { brainStats, supportOf } from './brainStats.ts';
import { contrastKnots } from './intensity.ts';
import { applyStep } from './shiftVolume.ts';
import type { Grid, ShiftStep, StepContext } from './types.ts';

/** The phantom's T1 as float voxels, with the context a step needs. */
function phantom(options: { noise?: number; spacingMm?: [number, number, number] } = {}) {
  // 2×2×3 mm: the grid these steps' expectations were written for.
  const c = makeSyntheticCase({ seed: 3, spacingMm: [2, 2, 3], ...options });
  const grid: Grid = { dims: c.dims, spacingMm: c.spacingMm };
  const values = Float64Array.from(c.images.t1);
  const support = supportOf(values);
  const ctx: StepContext = { grid, support, stats: brainStats(values, support) };
  return { values, ctx, c };
}

function supportValues(values: ArrayLike<number>, support: Uint8Array): number[] {
  const out: number[] = [];
  for (let n = 0; n < support.length; n++) if (support[n]) out.push(values[n]);
  return out;
}

function skewness(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  let m2 = 0;
  let m3 = 0;
  for (const x of xs) (m2 += (x - mean) ** 2), (m3 += (x - mean) ** 3);
  m2 /= xs.length;
  m3 /= xs.length;
  return m3 / m2 ** 1.5;
}

function std(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
}

/** Σ of squared differences between neighbours along an axis, over pairs inside the support. */
function axisEnergy(values: ArrayLike<number>, support: Uint8Array, [X, Y, Z]: Grid['dims'], axis: 0 | 1 | 2): number {
  const stride = axis === 0 ? 1 : axis === 1 ? X : X * Y;
  let e = 0;
  for (let k = 0, n = 0; k < Z; k++) {
    for (let j = 0; j < Y; j++) {
      for (let i = 0; i < X; i++, n++) {
        const at = axis === 0 ? i : axis === 1 ? j : k;
        if (at + 1 >= [X, Y, Z][axis] || !support[n] || !support[n + stride]) continue;
        e += (values[n + stride] - values[n]) ** 2;
      }
    }
  }
  return e;
}

const EVERY_KIND: ShiftStep[] = [
  { kind: 'contrast', tissueContrast: 0.5, jitter: 0.3, seed: 5 },
  { kind: 'biasField', amplitude: 0.3, degree: 3, seed: 5 },
  { kind: 'blur', fwhmMm: 4 },
  { kind: 'thickSlices', thicknessMm: 9, seed: 5 },
  { kind: 'ricianNoise', sigma: 0.1, seed: 5 },
  { kind: 'gamma', gamma: 1.8 },
  { kind: 'gainOffset', gain: 1.5, offset: 0.1 },
];

describe('each shift step', () => {
  it.each(EVERY_KIND.map((s) => [s.kind, s] as const))('%s changes the brain only, and never its input', (_, step) => {
    const { values, ctx } = phantom();
    const before = values.slice();
    const out = applyStep(values, step, ctx);
    expect(out).not.toBe(values);
    expect(values).toEqual(before);
    let changed = 0;
    for (let n = 0; n < out.length; n++) {
      if (!ctx.support[n]) expect(out[n]).toBe(0);
      else {
        expect(Number.isFinite(out[n])).toBe(true);
        if (out[n] !== values[n]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(ctx.stats.count / 2);
  });

  it('gamma keeps the order of intensities and moves the histogram skew the way γ says', () => {
    const { values, ctx } = phantom();
    const xs = supportValues(values, ctx.support);
    for (const [gamma, direction] of [[1.75, 1], [0.6, -1]] as const) {
      const ys = supportValues(applyStep(values, { kind: 'gamma', gamma }, ctx), ctx.support);
      const order = xs.map((_, n) => n).sort((a, b) => xs[a] - xs[b]);
      for (let r = 1; r < order.length; r++) {
        if (xs[order[r]] > xs[order[r - 1]]) expect(ys[order[r]]).toBeGreaterThan(ys[order[r - 1]]);
        else expect(ys[order[r]]).toBe(ys[order[r - 1]]);
      }
      expect(Math.sign(skewness(ys) - skewness(xs))).toBe(direction);
      expect(Math.abs(skewness(ys) - skewness(xs))).toBeGreaterThan(0.1);
    }
  });

  it('gain/offset is exactly affine, relative to the median brain intensity', () => {
    const { values, ctx } = phantom();
    const out = applyStep(values, { kind: 'gainOffset', gain: 1.3, offset: 0.05 }, ctx);
    for (let n = 0; n < out.length; n++) if (ctx.support[n]) expect(out[n]).toBeCloseTo(1.3 * values[n] + 0.05 * ctx.stats.median, 9);
  });

  it('contrast: a monotone remap that flattens the p25–p75 band and keeps 0, median and top in place', () => {
    // A ramp 1…1000 makes the quantiles known: p25 ≈ 250, p50 ≈ 500, p75 ≈ 750.
    const values = Float64Array.from({ length: 1000 }, (_, n) => n + 1);
    const support = supportOf(values);
    const ctx: StepContext = { grid: { dims: [10, 10, 10], spacingMm: [1, 1, 1] }, support, stats: brainStats(values, support) };
    const step = { kind: 'contrast', tissueContrast: 0.5, jitter: 0, seed: 1 } as const;
    const { x, y } = contrastKnots(step, ctx);
    expect(y[0]).toBe(0);
    expect(y[x.indexOf(ctx.stats.median)]).toBeCloseTo(ctx.stats.median, 9);
    expect(y[y.length - 1]).toBeCloseTo(x[x.length - 1], 9);
    const out = applyStep(values, step, ctx);
    for (let n = 1; n < out.length; n++) expect(out[n]).toBeGreaterThan(out[n - 1]);
    const band = (a: Float64Array) => a[749] - a[249];
    expect(band(out) / band(values)).toBeCloseTo(2 / 3, 2); // slope 0.5 × the rescale 4/3 of each half
    // Jitter: a different monotone remap per seed; none at all at jitter 0, c = 1.
    const j1 = applyStep(values, { kind: 'contrast', tissueContrast: 1, jitter: 0.4, seed: 1 }, ctx);
    const j2 = applyStep(values, { kind: 'contrast', tissueContrast: 1, jitter: 0.4, seed: 2 }, ctx);
    expect(j1).not.toEqual(j2);
    for (let n = 1; n < j1.length; n++) expect(j1[n]).toBeGreaterThan(j1[n - 1]);
    const none = applyStep(values, { kind: 'contrast', tissueContrast: 1, jitter: 0, seed: 1 }, ctx);
    for (let n = 0; n < none.length; n++) expect(none[n]).toBeCloseTo(values[n], 9);
  });

  it('Rician noise raises the std of a flat region to ≈ σ × median', () => {
    const { values, ctx } = phantom({ noise: 0 });
    const flat = Float64Array.from(values, (v) => (v === 520 ? 1 : 0)); // the phantom's white matter
    const wm = Uint8Array.from(flat);
    expect(std(supportValues(values, wm))).toBe(0);
    const out = applyStep(values, { kind: 'ricianNoise', sigma: 0.05, seed: 9 }, ctx);
    const s = std(supportValues(out, wm));
    expect(s / (0.05 * ctx.stats.median)).toBeGreaterThan(0.9);
    expect(s / (0.05 * ctx.stats.median)).toBeLessThan(1.1);
  });

  it('the bias field is smooth, reaches ×(1+a) in the brain, and is multiplicative', () => {
    const { values, ctx } = phantom();
    const step = { kind: 'biasField', amplitude: 0.3, degree: 3, seed: 4 } as const;
    const field = biasFieldOf(step, ctx.grid, ctx.support);
    let peak = 0;
    for (let n = 0; n < field.length; n++) if (ctx.support[n]) peak = Math.max(peak, Math.abs(Math.log(field[n])));
    expect(peak).toBeCloseTo(Math.log(1.3), 9);
    // Smooth: the log field's second differences are tiny next to its range (noise would not be).
    const logField = Float64Array.from(field, Math.log);
    const [X, Y, Z] = ctx.grid.dims;
    for (const axis of [0, 1, 2] as const) {
      const stride = [1, X, X * Y][axis];
      let worst = 0;
      for (let k = 0, n = 0; k < Z; k++) {
        for (let j = 0; j < Y; j++) {
          for (let i = 0; i < X; i++, n++) {
            const at = [i, j, k][axis];
            if (at === 0 || at + 1 === ctx.grid.dims[axis] || !ctx.support[n]) continue;
            worst = Math.max(worst, Math.abs(logField[n + stride] - 2 * logField[n] + logField[n - stride]));
          }
        }
      }
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThan(0.03 * Math.log(1.3)); // white noise of that range would give ~ln(1.3)
    }
    // Multiplicative: out = field × in, so doubling the input doubles the output.
    const out = applyStep(values, step, ctx);
    const doubled = applyStep(values.map((v) => 2 * v), step, ctx);
    for (let n = 0; n < out.length; n++) {
      if (!ctx.support[n]) continue;
      expect(out[n]).toBeCloseTo(values[n] * field[n], 9);
      expect(doubled[n]).toBeCloseTo(2 * out[n], 9);
    }
  });

  it('thick slices remove high-frequency energy along z, barely in-plane; k = 1 is the identity', () => {
    const { values, ctx } = phantom();
    const out = applyStep(values, { kind: 'thickSlices', thicknessMm: 9, seed: 2 }, ctx); // k = 3 on a 3 mm grid
    const dims = ctx.grid.dims;
    const zBefore = axisEnergy(values, ctx.support, dims, 2);
    const zAfter = axisEnergy(out, ctx.support, dims, 2);
    const xBefore = axisEnergy(values, ctx.support, dims, 0);
    const xAfter = axisEnergy(out, ctx.support, dims, 0);
    expect(zAfter / zBefore).toBeLessThan(0.4);
    expect(zAfter / zBefore).toBeLessThan((xAfter / xBefore) * 0.6);
    const same = applyStep(values, { kind: 'thickSlices', thicknessMm: 4, seed: 2 }, ctx); // round(4/3) = 1
    expect(same).toEqual(values);
  });

  it('blur smooths every axis and keeps a constant brain constant up to its edge', () => {
    const { values, ctx } = phantom();
    const out = applyStep(values, { kind: 'blur', fwhmMm: 5 }, ctx);
    for (const axis of [0, 1, 2] as const) {
      expect(axisEnergy(out, ctx.support, ctx.grid.dims, axis)).toBeLessThan(0.5 * axisEnergy(values, ctx.support, ctx.grid.dims, axis));
    }
    const constant = Float64Array.from(ctx.support, (m) => 100 * m);
    const blurred = applyStep(constant, { kind: 'blur', fwhmMm: 5 }, ctx);
    for (let n = 0; n < blurred.length; n++) expect(blurred[n]).toBeCloseTo(constant[n], 9);
  });
});
