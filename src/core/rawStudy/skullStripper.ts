import type { Grid, ScalarVolume } from '../registration/types.ts';

/** What the raw pipeline needs from a skull-stripping model (MindGrab implements it). */
export interface SkullStripper {
  /** The brain mask (1 = brain) of a head on its own grid. */
  strip(head: ScalarVolume, o?: { onProgress?: (done: number, total: number) => void; checkCancelled?: () => void }): Promise<Uint8Array>;
  /** At most how many bytes `strip` holds for a head on this grid (the raw study's memory plan). */
  workingBytes?(head: Grid): number;
}
