import { InputError, type InputIssue } from '../inputIssue.ts';
import { orientationPlan } from '../orientation/index.ts';
import type { NiftiVolume } from '../volume/index.ts';

/**
 * The scans must be on an axis-aligned grid (any axis order and direction): Attune brings
 * them to the model's L, P, S axes by flips and permutations. An oblique grid is refused
 * with what to do. One check suffices: checkSameGrid makes every other file match it.
 */
export function checkOrientation(reference: NiftiVolume): InputIssue[] {
  try {
    orientationPlan(reference.affine, reference.dims, reference.name);
    return [];
  } catch (err) {
    if (err instanceof InputError) return [err.toIssue()];
    throw err;
  }
}
