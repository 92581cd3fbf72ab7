/**
 * Dice per BraTS class and region, as the method's tables report them:
 * classes NCR (1), ED (2), ET (4); regions ET (4), TC = tumour core (1 ∪ 4),
 * WT = whole tumour (1 ∪ 2 ∪ 4). Same definition as training/attune_train/metrics.py.
 */
export const DICE_KEYS = ['NCR', 'ED', 'ET', 'ET_region', 'TC', 'WT'] as const;
export type DiceKey = (typeof DICE_KEYS)[number];

export const DICE_LABELS: Record<DiceKey, readonly number[]> = {
  NCR: [1],
  ED: [2],
  ET: [4],
  ET_region: [4],
  TC: [1, 4],
  WT: [1, 2, 4],
};

/** Dice of the union of `labels`; null when the reference lacks them (undefined, not 0 or 1). */
export function dice(pred: ArrayLike<number>, ref: ArrayLike<number>, labels: readonly number[]): number | null {
  if (pred.length !== ref.length) throw new Error(`dice: prediction has ${pred.length} voxels, reference ${ref.length}`);
  const inSet = new Uint8Array(256);
  for (const l of labels) inSet[l] = 1;
  let p = 0, r = 0, both = 0;
  for (let n = 0; n < pred.length; n++) {
    const a = inSet[pred[n]], b = inSet[ref[n]];
    p += a;
    r += b;
    both += a & b;
  }
  return r === 0 ? null : (2 * both) / (p + r);
}

/**
 * Dice for every class and region (DICE_KEYS). One pass over the voxels builds the joint
 * histogram of (predicted, reference) label values; each Dice is then a sum over it — the
 * same counts as `dice`, six times faster (it runs after every brush stroke of an edit).
 */
export function allDice(pred: ArrayLike<number>, ref: ArrayLike<number>): Record<DiceKey, number | null> {
  if (pred.length !== ref.length) throw new Error(`dice: prediction has ${pred.length} voxels, reference ${ref.length}`);
  const joint = new Float64Array(256 * 256);
  for (let n = 0; n < pred.length; n++) joint[(pred[n] & 255) * 256 + (ref[n] & 255)]++;
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < joint.length; i++) if (joint[i] > 0) pairs.push([i >> 8, i & 255, joint[i]]);
  const out = {} as Record<DiceKey, number | null>;
  for (const k of DICE_KEYS) {
    const labels = DICE_LABELS[k];
    let p = 0, r = 0, both = 0;
    for (const [a, b, count] of pairs) {
      const inA = labels.includes(a), inB = labels.includes(b);
      if (inA) p += count;
      if (inB) r += count;
      if (inA && inB) both += count;
    }
    out[k] = r === 0 ? null : (2 * both) / (p + r);
  }
  return out;
}

/**
 * Mean Dice over the three tumour classes (NCR, ED, ET) that the reference contains (a class
 * the reference lacks has Dice null and is left out); NaN when there is none, or no Dice at all.
 * The one "accuracy" number of the reports, the evaluation and the shift-score plot.
 */
export function meanClassDice(r: { dice: Partial<Record<DiceKey, number | null>> | null }): number {
  let sum = 0, n = 0;
  for (const k of ['NCR', 'ED', 'ET'] as const) {
    const v = r.dice?.[k];
    if (v == null) continue;
    sum += v;
    n++;
  }
  return n ? sum / n : NaN;
}
