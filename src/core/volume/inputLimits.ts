import { formatBytes } from '../formatBytes.ts';
import { InputError, type InputIssue } from '../inputIssue.ts';

/**
 * How big one dropped scan may be. Everything is read into the tab's memory (a copy for
 * reading, the voxels, their float copy for preprocessing), and a tab that runs out of
 * memory is killed without a word; so files past these limits are refused up front with
 * a message, before they are read. A BraTS scan (240×240×155 int16, 1 mm) is 17 MB of
 * voxels and 2–3 MB gzipped: the limits leave > 30× room.
 */
export interface InputLimits {
  /** Size of the file as dropped (compressed or not). */
  maxFileBytes: number;
  /** Voxel data once decompressed. */
  maxVoxelBytes: number;
  /** Voxels of one 3D scan (preprocessing keeps ~4 float copies per modality). */
  maxVoxels: number;
}

const MiB = 1024 * 1024;

export const INPUT_LIMITS: InputLimits = {
  maxFileBytes: 512 * MiB,
  maxVoxelBytes: 512 * MiB,
  maxVoxels: 64 * MiB, // e.g. 400×400×400
};

const WHAT_TO_DO = 'A skull-stripped 1 mm brain scan is 10–40 MB; check that this is one 3D scan (not a whole series), or crop and resample it to 1 mm first.';

/** A file too large to read at all, judged by its size alone (nothing is read). */
export function checkFileSize(name: string, sizeBytes: number, limits: InputLimits = INPUT_LIMITS): InputIssue | null {
  if (sizeBytes <= limits.maxFileBytes) return null;
  return {
    code: 'too-large',
    severity: 'error',
    files: [name],
    message: `${name} is ${formatBytes(sizeBytes)}, more than the ${formatBytes(limits.maxFileBytes)} one scan may use of this computer's memory in the browser, so it was not read. ${WHAT_TO_DO}`,
  };
}

/** A header that declares more voxels than the budget (checked before any voxel is allocated). */
export function checkDeclaredSize(
  name: string,
  dims: readonly number[],
  bytesPerVoxel: number,
  limits: InputLimits = INPUT_LIMITS,
): InputError | null {
  const voxels = dims.reduce((a, b) => a * b, 1);
  const bytes = voxels * bytesPerVoxel;
  if (voxels <= limits.maxVoxels && bytes <= limits.maxVoxelBytes) return null;
  return new InputError(
    'too-large',
    `${name} declares ${dims.join('×')} voxels (${formatBytes(bytes)}), beyond the memory budget for one scan ` +
      `(${(limits.maxVoxels / MiB).toFixed(0)} M voxels, ${formatBytes(limits.maxVoxelBytes)}). ${WHAT_TO_DO}`,
    [name],
  );
}

/** The error readNifti throws when a .nii.gz inflates past the budget (a "gzip bomb" or a huge series). */
export function decompressedTooLarge(name: string, limitBytes: number): InputError {
  return new InputError(
    'too-large',
    `${name} decompresses to more than ${formatBytes(limitBytes)}, beyond the memory budget for one scan; it was not read further. ${WHAT_TO_DO}`,
    [name],
  );
}
