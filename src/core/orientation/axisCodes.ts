/** Anatomical direction a voxel axis points to, in NIfTI's RAS+ world (x → R, y → A, z → S). */
export type AxisCode = 'R' | 'L' | 'A' | 'P' | 'S' | 'I';

export interface VoxelAxis {
  /** World axis (0 = x, 1 = y, 2 = z) this voxel axis runs along. */
  world: 0 | 1 | 2;
  /** +1 when increasing the voxel index increases that world coordinate. */
  sign: 1 | -1;
  code: AxisCode;
  /** Angle in degrees between the voxel axis and that world axis (0 for BraTS-style grids). */
  obliquityDeg: number;
}

const CODES: [AxisCode, AxisCode][] = [['R', 'L'], ['A', 'P'], ['S', 'I']];

/** The world axis and direction a code names, e.g. 'L' → [0, −1] (the inverse of axisCode). */
export function axisDirection(code: AxisCode): [0 | 1 | 2, 1 | -1] {
  const world = CODES.findIndex((pair) => pair.includes(code)) as 0 | 1 | 2;
  return [world, CODES[world][0] === code ? 1 : -1];
}

/** Code for a world axis and sign, e.g. (0, −1) → 'L'. */
export function axisCode(world: 0 | 1 | 2, sign: 1 | -1): AxisCode {
  return CODES[world][sign > 0 ? 0 : 1];
}

/**
 * For each voxel axis (column of the affine's 3×3 part), the world axis it is closest to.
 * Returns null when two voxel axes are closest to the same world axis or a column is
 * zero: no permutation of axes can describe such a grid.
 */
export function axisCodes(affine: number[][]): [VoxelAxis, VoxelAxis, VoxelAxis] | null {
  const axes: VoxelAxis[] = [];
  for (let c = 0; c < 3; c++) {
    const col = [affine[0][c], affine[1][c], affine[2][c]];
    const norm = Math.hypot(col[0], col[1], col[2]);
    if (!(norm > 0) || !Number.isFinite(norm)) return null;
    let world: 0 | 1 | 2 = 0;
    for (const w of [1, 2] as const) if (Math.abs(col[w]) > Math.abs(col[world])) world = w;
    const sign: 1 | -1 = col[world] >= 0 ? 1 : -1;
    const cosine = Math.min(1, Math.abs(col[world]) / norm);
    axes.push({ world, sign, code: axisCode(world, sign), obliquityDeg: (Math.acos(cosine) * 180) / Math.PI });
  }
  if (new Set(axes.map((a) => a.world)).size !== 3) return null;
  return axes as [VoxelAxis, VoxelAxis, VoxelAxis];
}
