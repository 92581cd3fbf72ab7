/**
 * How good a registration is, measured on the fixed grid after resampling (elastix's own
 * final metric is not returned by its wasm pipeline, and a metric of ours is the same
 * number for every registrar): the overlap of the two brains (Dice of their foreground
 * masks) and the normalised mutual information of their intensities.
 */

/** 99th percentile of the positive values (robust to a few hot voxels). */
function highPercentile(values: Float32Array): number {
  const positive: number[] = [];
  const step = Math.max(1, Math.floor(values.length / 200_000));
  for (let n = 0; n < values.length; n += step) if (values[n] > 0) positive.push(values[n]);
  if (positive.length === 0) return 0;
  positive.sort((a, b) => a - b);
  return positive[Math.min(positive.length - 1, Math.floor(0.99 * positive.length))];
}

/**
 * The voxels above `fraction` of the volume's 99th percentile: the brain, for a
 * skull-stripped image (background is 0; interpolation blurs the edge, the fraction cuts
 * through the blur). With skull, this is the head, not the brain: use a brain mask instead.
 */
export function foregroundMask(values: Float32Array, fraction = 0.05): Uint8Array {
  const threshold = fraction * highPercentile(values);
  const mask = new Uint8Array(values.length);
  if (!(threshold > 0)) return mask;
  for (let n = 0; n < values.length; n++) mask[n] = values[n] > threshold ? 1 : 0;
  return mask;
}

/** Dice of two binary masks (0 when both are empty: nothing overlaps). */
export function maskDice(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`maskDice: ${a.length} vs ${b.length} voxels`);
  let sa = 0, sb = 0, both = 0;
  for (let n = 0; n < a.length; n++) {
    sa += a[n];
    sb += b[n];
    both += a[n] & b[n];
  }
  return sa + sb === 0 ? 0 : (2 * both) / (sa + sb);
}

/**
 * Normalised mutual information (H(A) + H(B)) / H(A, B) over the voxels where `mask` is set,
 * intensities binned linearly between 0 and each image's 99th percentile: 1 for unrelated
 * images, up to 2 for identical ones.
 */
export function normalisedMutualInformation(a: Float32Array, b: Float32Array, mask: Uint8Array, bins = 32): number {
  if (a.length !== b.length || a.length !== mask.length) throw new Error('normalisedMutualInformation: arrays differ in length');
  const ta = highPercentile(a) || 1, tb = highPercentile(b) || 1;
  const joint = new Float64Array(bins * bins);
  let total = 0;
  const bin = (v: number, top: number) => Math.min(bins - 1, Math.max(0, Math.floor((v / top) * bins)));
  for (let n = 0; n < a.length; n++) {
    if (!mask[n]) continue;
    joint[bin(a[n], ta) * bins + bin(b[n], tb)]++;
    total++;
  }
  if (total === 0) return 1;
  const pa = new Float64Array(bins), pb = new Float64Array(bins);
  let hab = 0;
  for (let r = 0; r < bins; r++) for (let c = 0; c < bins; c++) {
    const p = joint[r * bins + c] / total;
    pa[r] += p;
    pb[c] += p;
    if (p > 0) hab -= p * Math.log(p);
  }
  const entropy = (p: Float64Array) => p.reduce((s, x) => (x > 0 ? s - x * Math.log(x) : s), 0);
  return hab > 0 ? (entropy(pa) + entropy(pb)) / hab : 2;
}

export interface RegistrationQuality {
  /** Dice of the fixed and the resampled moving brain masks. */
  brainDice: number;
  /** Normalised mutual information over the union of the two masks. */
  nmi: number;
}

export function unionMask(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let n = 0; n < a.length; n++) out[n] = a[n] | b[n];
  return out;
}

/**
 * Quality of moving (already resampled onto the fixed grid) against fixed, judged inside
 * `region` when given: the part of the fixed grid the moving series' field of view covers,
 * so a series that images only part of the brain is not called misregistered for it.
 */
export function registrationQuality(
  fixed: Float32Array,
  moving: Float32Array,
  fixedMask = foregroundMask(fixed),
  movingMask = foregroundMask(moving),
  region?: Uint8Array,
): RegistrationQuality {
  const a = region ? intersect(fixedMask, region) : fixedMask;
  const b = region ? intersect(movingMask, region) : movingMask;
  return { brainDice: maskDice(a, b), nmi: normalisedMutualInformation(fixed, moving, unionMask(a, b)) };
}

function intersect(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let n = 0; n < a.length; n++) out[n] = a[n] & b[n];
  return out;
}

/**
 * Least brain overlap accepted, from the ground-truth runs (bench/registrationTruth.ts,
 * records in bench/runs/registration/): good same-subject registrations scored 0.976–0.995
 * (1 mm and 5 mm slices), the same FLAIR moved 5 mm or 10° off 0.93–0.94; so 0.95. Onto the
 * atlas it is another brain: good ones scored 0.89–0.95 (BraTS's own placement 0.88–0.96),
 * 20 mm or 30° off 0.76–0.84, while 10 mm off still scored 0.87–0.89: brain overlap with the
 * atlas catches gross failures only, so 0.85.
 */
export const MIN_BRAIN_DICE = { sameSubject: 0.95, toAtlas: 0.85 } as const;

export type RegistrationPair = keyof typeof MIN_BRAIN_DICE;

/** A sentence for a registration whose brain overlap is below the bar, or null when it passes. */
export function poorRegistrationMessage(what: string, quality: RegistrationQuality, pair: RegistrationPair): string | null {
  const min = MIN_BRAIN_DICE[pair];
  if (quality.brainDice >= min) return null;
  return `${what}: the registration looks wrong (brain overlap ${quality.brainDice.toFixed(2)}, below ${min}); check that the series shows the whole brain and is the right one, or preprocess it elsewhere.`;
}
