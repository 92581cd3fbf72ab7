import { InputError } from '../inputIssue.ts';
import { axisCode, axisCodes, type AxisCode } from './axisCodes.ts';

/** Voxel axes of the model's input grid, as BraTS stores its volumes (affine diag(−1, −1, 1)). */
export const CANONICAL_AXES: readonly [AxisCode, AxisCode, AxisCode] = ['L', 'P', 'S'];
const CANONICAL_SIGN: readonly (1 | -1)[] = [-1, -1, 1];

/** Beyond this angle between a voxel axis and the nearest world axis, a grid is oblique. */
export const MAX_OBLIQUITY_DEG = 1;

/**
 * How to read an input grid in the canonical orientation: canonical axis c is input axis
 * `perm[c]`, reversed when `flip[c]`. Identity for BraTS-oriented volumes.
 */
export interface OrientationPlan {
  /** The input's voxel grid [X, Y, Z]. */
  inputDims: [number, number, number];
  /** The input's axis codes, e.g. ['R', 'A', 'S']. */
  inputAxes: [AxisCode, AxisCode, AxisCode];
  perm: [number, number, number];
  flip: [boolean, boolean, boolean];
  /** The canonical grid's dimensions. */
  dims: [number, number, number];
  identity: boolean;
}

/** What the oblique-grid refusal asks for, after saying how oblique the grid is. */
export const OBLIQUE_ADVICE =
  'Attune reorients scans by flipping and permuting axes, without resampling, so it needs an axis-aligned grid: ' +
  'resample the case to a 1 mm axis-aligned grid first (e.g. the BraTS pipeline’s registration to SRI24, ' +
  'or FSL flirt / ANTs with an axis-aligned reference).';

/**
 * The plan that brings a volume with this affine to canonical L, P, S axes by axis
 * permutations and flips only. Throws InputError('oblique-grid') when the affine is not
 * (within 1°) a permutation of the world axes: that grid would need resampling.
 */
export function orientationPlan(affine: number[][], dims: [number, number, number], name = 'the scan'): OrientationPlan {
  const axes = axisCodes(affine);
  const worst = axes ? Math.max(...axes.map((a) => a.obliquityDeg)) : 90;
  if (!axes || worst > MAX_OBLIQUITY_DEG) {
    throw new InputError(
      'oblique-grid',
      `${name} is stored on an oblique grid (its voxel axes are ${worst.toFixed(1)}° off the scanner's axes). ${OBLIQUE_ADVICE}`,
      [name],
    );
  }
  const perm = [0, 1, 2].map((c) => axes.findIndex((a) => a.world === c)) as [number, number, number];
  const flip = perm.map((a, c) => axes[a].sign !== CANONICAL_SIGN[c]) as [boolean, boolean, boolean];
  return {
    inputDims: [...dims],
    inputAxes: axes.map((a) => a.code) as [AxisCode, AxisCode, AxisCode],
    perm,
    flip,
    dims: perm.map((a) => dims[a]) as [number, number, number],
    identity: perm.every((a, c) => a === c) && !flip.some(Boolean),
  };
}

/** "RAS", "LPS", … for messages and reports. */
export function orientationName(plan: Pick<OrientationPlan, 'inputAxes'>): string {
  return plan.inputAxes.join('');
}

export const CANONICAL_NAME = CANONICAL_AXES.join('');
export { axisCode };
