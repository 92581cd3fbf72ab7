import { InputError } from '../inputIssue.ts';

/**
 * A header whose voxel size or voxel-to-world matrix holds NaN or ±Infinity (a damaged
 * pixdim, quatern or srow field) describes no grid at all. Refused here because later
 * checks compare with `>` — and every comparison with NaN is false, so a NaN spacing or
 * affine would pass the 1 mm and same-grid checks and reach the model (found by fuzzing).
 */
export function checkGeometry(name: string, spacingMm: readonly number[], affine: readonly (readonly number[])[]): InputError | null {
  const spacingOk = spacingMm.every(Number.isFinite);
  const affineOk = affine.every((row) => row.every(Number.isFinite));
  if (spacingOk && affineOk) return null;
  const what = !spacingOk
    ? `its voxel size is not a finite number (${spacingMm.join(' × ')} mm)`
    : `its voxel-to-world matrix (qform/sform) holds non-finite values`;
  return new InputError(
    'not-nifti',
    `${name}: the NIfTI header is damaged: ${what}, so the scan has no usable grid. Re-export the file.`,
    [name],
  );
}
