import type { InputIssue } from '../inputIssue.ts';
import { ROLE_LABELS, type Modality } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';

/**
 * The model was trained on BraTS-style scans (models/README.md §2): skull-stripped,
 * co-registered and resampled to 1 mm isotropic voxels. A raw scanner export (skull,
 * scalp and noisy air around the head, 0.5 × 0.5 × 5 mm voxels …) still has four
 * modalities on some grid, but the network would segment garbage on it. These checks
 * catch the two tell-tale signs and say which preprocessing is missing.
 */
export const REQUIRED_PREPROCESSING =
  'Attune expects BraTS-style preprocessing: skull stripping (e.g. HD-BET or FSL BET), ' +
  'co-registration of the four modalities to one grid, and resampling to 1 × 1 × 1 mm voxels ' +
  '(e.g. the BraTS/FeTS pipeline in CaPTk, or ANTs/FSL). Preprocess the scans first, then drop them again.';

/** Voxel size the model was trained on, and how far an axis may be from it (5 %). */
export const TRAINED_SPACING_MM = 1;
export const SPACING_TOLERANCE = 0.05;

/**
 * Above this fraction of non-zero voxels on the volume's six outer faces, a scan is not
 * skull-stripped: stripping leaves 0 everywhere outside the brain, and a brain touches
 * the faces at most in a few places even when cropped tightly (an ellipsoid in its
 * bounding box covers < 25 % of the faces), while air around a head is noise (≠ 0).
 */
export const MAX_NONZERO_BORDER_FRACTION = 0.5;

const fmt = (v: number) => String(Number(v.toFixed(3)));

export function checkPreprocessing(scans: { role: Modality; volume: NiftiVolume }[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const offGrid = scans.filter(({ volume }) => volume.spacingMm.some((s) => Math.abs(s - TRAINED_SPACING_MM) > SPACING_TOLERANCE * TRAINED_SPACING_MM));
  if (offGrid.length > 0) {
    issues.push({
      code: 'not-1mm-grid',
      severity: 'error',
      files: offGrid.map((s) => s.volume.name),
      message:
        `Not on a 1 mm grid: ${offGrid.map(({ role, volume }) => `${volume.name} (${ROLE_LABELS[role]}) has ${volume.spacingMm.map(fmt).join('×')} mm voxels`).join('; ')}. ` +
        REQUIRED_PREPROCESSING,
    });
  }
  const unstripped = scans
    .map((s) => ({ ...s, border: nonZeroBorderFraction(s.volume) }))
    .filter((s) => s.border > MAX_NONZERO_BORDER_FRACTION);
  if (unstripped.length > 0) {
    issues.push({
      code: 'not-skull-stripped',
      severity: 'error',
      files: unstripped.map((s) => s.volume.name),
      message:
        `Not skull-stripped: ${unstripped.map(({ role, volume }) => `${volume.name} (${ROLE_LABELS[role]})`).join(', ')} ` +
        `${unstripped.length === 1 ? 'is' : 'are'} non-zero on ${unstripped.map((s) => `${Math.round(100 * s.border)} %`).join(', ')} of the volume's outer faces ` +
        '(a skull-stripped scan is 0 outside the brain; this looks like a raw scanner export with skull and background). ' +
        REQUIRED_PREPROCESSING,
    });
  }
  return issues;
}

const borderCache = new WeakMap<NiftiVolume, number>();

/** Fraction of the voxels on the volume's six outer faces whose physical value is not 0. */
export function nonZeroBorderFraction(volume: NiftiVolume): number {
  const hit = borderCache.get(volume);
  if (hit !== undefined) return hit;
  const [x, y, z] = volume.dims;
  // Physical value v·slope + inter, per border voxel (no copy of the whole volume).
  const { data, scaling } = volume;
  let total = 0;
  let nonZero = 0;
  for (let k = 0; k < z; k++) {
    for (let j = 0; j < y; j++) {
      const onFaceJK = k === 0 || k === z - 1 || j === 0 || j === y - 1;
      // Inside the k/j faces only i = 0 and i = x − 1 are on the border.
      const step = onFaceJK ? 1 : Math.max(1, x - 1);
      for (let i = 0; i < x; i += step) {
        total++;
        if (data[i + x * (j + y * k)] * scaling.slope + scaling.inter !== 0) nonZero++;
      }
    }
  }
  const fraction = total === 0 ? 0 : nonZero / total;
  borderCache.set(volume, fraction);
  return fraction;
}
