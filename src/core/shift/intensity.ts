import { normalStream } from './seed.ts';
import type { ShiftStep, StepContext } from './types.ts';

type Step<K extends ShiftStep['kind']> = Extract<ShiftStep, { kind: K }>;

/** Brain quantiles the contrast remap bends at; p25–p75 is the "tissue band". */
const CONTRAST_KNOTS = [0.05, 0.25, 0.5, 0.75, 0.95, 0.995];

/**
 * The contrast remap's knots: x = the input's quantiles, y = where they go. Monotone by
 * construction (every band keeps a positive slope); 0 (or the minimum), the median and the
 * top knot stay fixed, so only the contrast *between* intensity bands changes.
 */
export function contrastKnots(step: Step<'contrast'>, ctx: StepContext): { x: number[]; y: number[] } {
  const { stats } = ctx;
  const lowest = Math.min(0, stats.quantile(0));
  const raw = [lowest, ...CONTRAST_KNOTS.map((p) => stats.quantile(p))];
  const x: number[] = [raw[0]];
  for (const v of raw.slice(1)) if (v > x[x.length - 1]) x.push(v);
  const normal = normalStream(step.seed);
  const slope = x.slice(1).map((_, s) => {
    const mid = (x[s] + x[s + 1]) / 2;
    const band = mid >= stats.quantile(0.25) && mid <= stats.quantile(0.75) ? step.tissueContrast : 1;
    return band * Math.exp(step.jitter * normal());
  });
  // Rescale each side of the median so its span is kept.
  const median = stats.median;
  const y = x.slice();
  for (const side of [-1, 1]) {
    let span = 0;
    let bent = 0;
    for (let s = 0; s < x.length - 1; s++) {
      const mid = (x[s] + x[s + 1]) / 2;
      if ((mid < median ? -1 : 1) !== side) continue;
      span += x[s + 1] - x[s];
      bent += (x[s + 1] - x[s]) * slope[s];
    }
    const k = bent > 0 ? span / bent : 1;
    for (let s = 0; s < slope.length; s++) {
      const mid = (x[s] + x[s + 1]) / 2;
      if ((mid < median ? -1 : 1) === side) slope[s] *= k;
    }
  }
  for (let s = 0; s < x.length - 1; s++) y[s + 1] = y[s] + (x[s + 1] - x[s]) * slope[s];
  return { x, y };
}

export function applyContrast(values: Float64Array, step: Step<'contrast'>, ctx: StepContext): Float64Array {
  const out = values.slice();
  if (ctx.stats.count === 0) return out;
  const { x, y } = contrastKnots(step, ctx);
  const last = x.length - 1;
  for (let n = 0; n < out.length; n++) {
    if (!ctx.support[n]) continue;
    const v = values[n];
    // Outside the knots the map continues with slope 1 (the knots' ends are fixed points).
    if (v <= x[0]) out[n] = y[0] + (v - x[0]);
    else if (v >= x[last]) out[n] = y[last] + (v - x[last]);
    else {
      let s = 0;
      while (v > x[s + 1]) s++;
      out[n] = y[s] + ((v - x[s]) * (y[s + 1] - y[s])) / (x[s + 1] - x[s]);
    }
  }
  return out;
}

export function applyGamma(values: Float64Array, step: Step<'gamma'>, ctx: StepContext): Float64Array {
  const out = values.slice();
  const r = ctx.stats.quantile(0.99);
  if (!(r > 0)) return out;
  for (let n = 0; n < out.length; n++) {
    if (!ctx.support[n]) continue;
    const v = values[n];
    out[n] = Math.sign(v) * r * Math.pow(Math.abs(v) / r, step.gamma);
  }
  return out;
}

export function applyGainOffset(values: Float64Array, step: Step<'gainOffset'>, ctx: StepContext): Float64Array {
  const out = values.slice();
  const offset = step.offset * ctx.stats.median;
  for (let n = 0; n < out.length; n++) if (ctx.support[n]) out[n] = step.gain * values[n] + offset;
  return out;
}

export function applyCompressTop(values: Float64Array, step: Step<'compressTop'>, ctx: StepContext): Float64Array {
  const out = values.slice();
  if (ctx.stats.count === 0) return out;
  const t = ctx.stats.quantile(step.quantile);
  for (let n = 0; n < out.length; n++) if (ctx.support[n] && values[n] > t) out[n] = t + step.factor * (values[n] - t);
  return out;
}
