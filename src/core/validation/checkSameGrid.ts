import type { InputIssue } from '../inputIssue.ts';
import { ROLE_LABELS, type FileRole } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';

export interface RoleVolume {
  role: FileRole;
  volume: NiftiVolume;
}

/** Spacing and affine entries are float32 in the header; below this they are the same grid. */
const MM_TOLERANCE = 1e-3;

const fmt = (v: number) => String(Number(v.toFixed(4)));

/** What each refusal asks for, after saying what differs (a raw study's preparation does it instead: core/rawStudy/preparationPlan.ts). */
export const SAME_GRID_ADVICE = {
  dims: 'All files of a case must be co-registered on one voxel grid.',
  spacing: 'All files of a case must share one voxel grid.',
  affine: 'Co-register the files (same voxel-to-world affine) before dropping them.',
} as const;
const shape = (d: readonly number[]) => d.map(fmt).join('×');
const who = (rv: RoleVolume) => `${rv.volume.name} (${ROLE_LABELS[rv.role]})`;

/**
 * Every file of a case must sit on the reference's voxel grid: same dimensions, same
 * voxel size, same placement in space. Otherwise voxel (i, j, k) would not be the same
 * point of the brain in every channel. Reports the first way each file differs.
 */
export function checkSameGrid(reference: RoleVolume, others: RoleVolume[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const ref = reference.volume;
  for (const other of others) {
    const vol = other.volume;
    const files = [vol.name, ref.name];
    if (vol.dims.some((n, a) => n !== ref.dims[a])) {
      issues.push({
        code: 'dims-mismatch',
        severity: 'error',
        files,
        message:
          `${who(other)} is ${shape(vol.dims)} voxels but ${who(reference)} is ${shape(ref.dims)}. ` + SAME_GRID_ADVICE.dims,
      });
      continue;
    }
    if (vol.spacingMm.some((s, a) => Math.abs(s - ref.spacingMm[a]) > MM_TOLERANCE)) {
      issues.push({
        code: 'spacing-mismatch',
        severity: 'error',
        files,
        message:
          `${who(other)} has ${shape(vol.spacingMm)} mm voxels but ${who(reference)} has ` +
          `${shape(ref.spacingMm)} mm. ${SAME_GRID_ADVICE.spacing}`,
      });
      continue;
    }
    const affineIssue = describeAffineDifference(ref.affine, vol.affine);
    if (affineIssue) {
      issues.push({
        code: 'affine-mismatch',
        severity: 'error',
        files,
        message:
          `${who(other)} is placed differently in space from ${who(reference)}: ${affineIssue}. ` + SAME_GRID_ADVICE.affine,
      });
    }
  }
  return issues;
}

function describeAffineDifference(a: number[][], b: number[][]): string | null {
  let rotation = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) rotation = Math.max(rotation, Math.abs(a[r][c] - b[r][c]));
  const shift = [0, 1, 2].map((r) => b[r][3] - a[r][3]);
  if (rotation > MM_TOLERANCE) {
    return `its orientation/axes differ (largest difference in the affine's 3×3 part: ${fmt(rotation)})`;
  }
  if (shift.some((s) => Math.abs(s) > MM_TOLERANCE)) {
    return `its origin is shifted by (${shift.map(fmt).join(', ')}) mm`;
  }
  return null;
}
