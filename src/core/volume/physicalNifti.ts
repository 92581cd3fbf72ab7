import type { NiftiVolume } from './types.ts';
import { physicalValues } from './voxelScaling.ts';
import { writeNifti } from './writeNifti.ts';

/**
 * An uncompressed NIfTI of exactly the voxels Attune validated (physical values, the
 * source header): what the viewer is given, so what is shown is what was checked.
 * Uncompressed because it never leaves memory and the viewer need not inflate it.
 */
export function physicalNifti(volume: NiftiVolume): Uint8Array {
  return writeNifti(volume, physicalValues(volume), { gzip: false });
}
