import { gaussian, mulberry32 } from '../synthetic/random.ts';

/**
 * A child seed from a parent seed and a path of small integers (modality, step…), so each
 * random stream is independent of the others and of the order in which they are drawn.
 */
export function subSeed(seed: number, ...path: number[]): number {
  let h = (seed >>> 0) ^ 0x9e3779b9;
  for (const p of path) {
    h = Math.imul(h ^ (p + 0x7f4a7c15), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function uniformStream(seed: number): () => number {
  return mulberry32(seed);
}

export function normalStream(seed: number): () => number {
  return gaussian(mulberry32(seed));
}
