import type { Modality } from '../modality/index.ts';
import type { OrientationPlan } from '../orientation/index.ts';

/** Inclusive voxel index range [first, last] along one axis. */
export type IndexRange = [number, number];

/**
 * The network's view of a case (models/README.md §2, step 3).
 * `brain` is the bounding box of the brain mask; `start`/`size` describe the cropped box
 * after in-plane padding to multiples of 16 (start may be negative and start + size may
 * exceed the volume: those voxels are zero).
 */
export interface CropBox {
  /** The canonical grid [X, Y, Z] (the input's own grid reoriented to L, P, S). */
  dims: [number, number, number];
  brain: { i: IndexRange; j: IndexRange; k: IndexRange };
  /** First voxel (i, j, k) of the cropped box in the original grid. */
  start: [number, number, number];
  /** [W', H', D]: columns (i), rows (j), slices (k) of the cropped box. */
  size: [number, number, number];
}

export interface ModalityStats {
  /** Mean over the brain mask (float64). */
  mean: number;
  /** Population standard deviation (ddof 0) over the brain mask (float64). */
  std: number;
}

export interface PreprocessedCase {
  /** Input grid → canonical grid (L, P, S). `box` and `input` live on the canonical grid. */
  orientation: OrientationPlan;
  box: CropBox;
  stats: Record<Modality, ModalityStats>;
  /** Number of voxels in the brain mask. */
  maskVoxels: number;
  /**
   * Network input for every slice of the box, NHWC with N = slices:
   * value(s, row, col, c) = input[((s * H' + row) * W' + col) * 4 + c], where slice s is
   * k = start[2] + s, row is j = start[1] + row, col is i = start[0] + col, and channels
   * are [t1, t1ce, t2, flair].
   */
  input: Float32Array;
  /** [D, H', W', 4] */
  shape: [number, number, number, number];
}
