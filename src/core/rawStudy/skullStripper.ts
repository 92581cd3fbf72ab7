import type { ScalarVolume } from '../registration/types.ts';

/** What the raw pipeline needs from a skull-stripping model (MindGrab implements it). */
export interface SkullStripper {
  /** The brain mask (1 = brain) of a head on its own grid. */
  strip(head: ScalarVolume, o?: { onProgress?: (done: number, total: number) => void; checkCancelled?: () => void }): Promise<Uint8Array>;
}
