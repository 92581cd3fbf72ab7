import type { Dice } from './types.ts';

const CLASSES = ['NCR', 'ED', 'ET'] as const;

/** Mean Dice over the tumour classes (NCR, ED, ET) the reference contains (a class absent from it does not count). */
export function meanDice(d: Dice): number {
  const present = CLASSES.flatMap((k) => (d[k] == null ? [] : [d[k]!]));
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : NaN;
}
