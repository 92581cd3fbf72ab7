import { normalStream } from './seed.ts';
import type { Grid, ShiftStep, StepContext } from './types.ts';

type BiasStep = Extract<ShiftStep, { kind: 'biasField' }>;

/**
 * The multiplicative field exp(P) of a bias step on a grid. P is a random polynomial in
 * normalised coordinates (−1…1 per axis) of total degree 1…`degree`, lower orders
 * weighted more (a receive coil's profile is smooth), centred on the support's mean and
 * scaled so max |P| over the support = ln(1 + amplitude): inside the brain the field
 * spans at most ×1/(1+a)…×(1+a) and reaches one of the two ends.
 */
export function biasFieldOf(step: BiasStep, grid: Grid, support: Uint8Array): Float64Array {
  const [X, Y, Z] = grid.dims;
  const normal = normalStream(step.seed);
  // coef[a][b][c] multiplies u^a v^b w^c.
  const terms: { a: number; b: number; c: number; w: number }[] = [];
  for (let d = 1; d <= step.degree; d++) {
    for (let a = d; a >= 0; a--) {
      for (let b = d - a; b >= 0; b--) terms.push({ a, b, c: d - a - b, w: normal() / d });
    }
  }
  const coord = (n: number, size: number) => (size > 1 ? (2 * n) / (size - 1) - 1 : 0);
  const pow = (v: number, e: number) => (e === 0 ? 1 : e === 1 ? v : e === 2 ? v * v : Math.pow(v, e));
  const logField = new Float64Array(X * Y * Z);
  const perU = new Float64Array(step.degree + 1);
  for (let k = 0, n = 0; k < Z; k++) {
    const w = coord(k, Z);
    for (let j = 0; j < Y; j++) {
      const v = coord(j, Y);
      // Collect the polynomial in u for this row, then evaluate it per voxel (Horner).
      perU.fill(0);
      for (const t of terms) perU[t.a] += t.w * pow(v, t.b) * pow(w, t.c);
      for (let i = 0; i < X; i++, n++) {
        const u = coord(i, X);
        let p = 0;
        for (let a = step.degree; a >= 0; a--) p = p * u + perU[a];
        logField[n] = p;
      }
    }
  }
  let sum = 0;
  let count = 0;
  for (let n = 0; n < logField.length; n++) if (support[n]) (sum += logField[n]), count++;
  const mean = count > 0 ? sum / count : 0;
  let peak = 0;
  for (let n = 0; n < logField.length; n++) if (support[n]) peak = Math.max(peak, Math.abs(logField[n] - mean));
  const scale = peak > 0 ? Math.log(1 + step.amplitude) / peak : 0;
  for (let n = 0; n < logField.length; n++) logField[n] = Math.exp((logField[n] - mean) * scale);
  return logField;
}

export function applyBiasField(values: Float64Array, step: BiasStep, ctx: StepContext): Float64Array {
  const field = biasFieldOf(step, ctx.grid, ctx.support);
  const out = values.slice();
  for (let n = 0; n < out.length; n++) if (ctx.support[n]) out[n] = values[n] * field[n];
  return out;
}
