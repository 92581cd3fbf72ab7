import { normalStream } from './seed.ts';
import type { ShiftStep, StepContext } from './types.ts';

/**
 * Rician noise: MR magnitude images are |signal + complex Gaussian noise|, so the noise
 * is not additive: it lifts dark regions (mean ≈ σ·√(π/2) where the signal is 0) and
 * is ≈ Gaussian with std σ where the signal is bright. σ is relative to the modality's
 * median brain intensity, so one level means the same SNR on every scan.
 */
export function applyRicianNoise(values: Float64Array, step: Extract<ShiftStep, { kind: 'ricianNoise' }>, ctx: StepContext): Float64Array {
  const out = values.slice();
  const sigma = step.sigma * ctx.stats.median;
  const normal = normalStream(step.seed);
  for (let n = 0; n < out.length; n++) {
    if (!ctx.support[n]) continue;
    const re = values[n] + sigma * normal();
    const im = sigma * normal();
    out[n] = Math.sqrt(re * re + im * im);
  }
  return out;
}
