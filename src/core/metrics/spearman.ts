import { pearson } from './pearson.ts';

/** Ranks 1…n, ties get their average rank. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const r = new Array<number>(xs.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].x === order[s].x) e++;
    for (let k = s; k <= e; k++) r[order[k].i] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}

/** Spearman's rank correlation; null with fewer than 3 pairs or no variation. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error('spearman: samples differ in length');
  if (x.length < 3) return null;
  return pearson(ranks(x), ranks(y));
}

/**
 * Partial Spearman correlation of x and y controlling for z (first-order partial correlation
 * of the ranks): what a signal says about Dice beyond what the predicted tumour's size says.
 */
export function partialSpearman(x: readonly number[], y: readonly number[], z: readonly number[]): number | null {
  const rxy = spearman(x, y);
  const rxz = spearman(x, z);
  const ryz = spearman(y, z);
  if (rxy === null || rxz === null || ryz === null) return null;
  const d = Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
  return d > 0 ? (rxy - rxz * ryz) / d : null;
}
