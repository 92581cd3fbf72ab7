import * as nifti from 'nifti-reader-js';
import { InputError } from '../inputIssue.ts';
import { checkGeometry } from './checkGeometry.ts';
import { SUPPORTED_DATATYPES, datatypeName } from './datatypes.ts';
import { checkDeclaredSize, decompressedTooLarge, INPUT_LIMITS, type InputLimits } from './inputLimits.ts';
import { DecompressedTooLarge, gunzip, isGzip } from './gzip.ts';
import type { NiftiHeader, NiftiVolume } from './types.ts';
import { headerScaling } from './voxelScaling.ts';

/** Millimetres per header spatial unit (xyzt_units & 7); unknown is taken as mm, as niivue does. */
const MM_PER_UNIT: Record<number, number> = { 0: 1, 1: 1000, 2: 1, 3: 0.001 };

/**
 * Reads a .nii or .nii.gz file into a 3D volume. Header parsing is nifti-reader-js's;
 * this function adds the checks a clinician's drop needs (gzip integrity, truncation,
 * dimensionality, voxel type) and throws InputError with a message naming the file.
 * The caller's bytes are copied, never modified or retained.
 */
export async function readNifti(bytes: Uint8Array | ArrayBuffer, name: string, limits: InputLimits = INPUT_LIMITS): Promise<NiftiVolume> {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let raw: Uint8Array;
  const compressed = isGzip(input);
  if (compressed) {
    // Voxels plus room for the header and its extensions.
    const inflateLimit = limits.maxVoxelBytes + 1024 * 1024;
    try {
      raw = await gunzip(input, inflateLimit);
    } catch (err) {
      if (err instanceof DecompressedTooLarge) throw decompressedTooLarge(name, inflateLimit);
      throw new InputError(
        'corrupt-gzip',
        `${name}: the gzip data is corrupt or truncated (${(err as Error).message}). ` +
          'Re-export or re-download the file.',
        [name],
      );
    }
  } else {
    raw = input.slice();
  }
  // nifti-reader-js wants an ArrayBuffer that starts at the header.
  const buffer = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength
    ? (raw.buffer as ArrayBuffer)
    : (raw.slice().buffer as ArrayBuffer);

  if (!nifti.isNIFTI(buffer)) {
    const what = compressed ? 'is gzip-compressed but does not contain a NIfTI image' : 'is not a NIfTI file';
    throw new InputError(
      'not-nifti',
      `${name} ${what} (no NIfTI-1/NIfTI-2 header found). Attune reads .nii and .nii.gz volumes.`,
      [name],
    );
  }
  let header: NiftiHeader;
  try {
    header = nifti.readHeader(buffer);
  } catch (err) {
    throw new InputError('not-nifti', `${name}: the NIfTI header cannot be read (${(err as Error).message}).`, [name]);
  }

  const dims = checkThreeDimensional(header, name);
  const type = SUPPORTED_DATATYPES[header.datatypeCode];
  if (!type) {
    throw new InputError(
      'unsupported-datatype',
      `${name} stores ${datatypeName(header.datatypeCode)} voxels; Attune reads integer or float scalar volumes (one value per voxel). Convert it to int16 or float32 first (e.g. with nibabel or fslmaths -odt float).`,
      [name],
    );
  }

  // Before the truncation check: a header declaring 2048³ voxels is "too large", not "truncated".
  const tooLarge = checkDeclaredSize(name, dims, type.array.BYTES_PER_ELEMENT, limits);
  if (tooLarge) throw tooLarge;
  const voxelCount = dims[0] * dims[1] * dims[2];
  const byteSize = voxelCount * type.array.BYTES_PER_ELEMENT;
  const offset = Math.round(header.vox_offset);
  // Voxels start after the header: a negative, NaN or in-header offset (a damaged field,
  // found by fuzzing) would otherwise slice garbage or nothing and crash the typed array.
  const headerEnd = nifti.isNIFTI2(buffer) ? 540 : 348;
  if (!(offset >= headerEnd)) {
    throw new InputError(
      'not-nifti',
      `${name}: the NIfTI header is damaged: its voxel data offset (vox_offset = ${header.vox_offset}) points inside the ${headerEnd}-byte header. Re-export the file.`,
      [name],
    );
  }
  const available = Math.max(0, buffer.byteLength - offset);
  if (available < byteSize) {
    throw new InputError(
      'truncated',
      `${name} is truncated: its header describes ${dims.join('×')} ${type.name} voxels ` +
        `(${byteSize} bytes) but only ${available} bytes of voxel data are present.`,
      [name],
    );
  }
  const voxelBytes = new Uint8Array(buffer.slice(offset, offset + byteSize));
  if (!header.littleEndian) swapBytesInPlace(voxelBytes, type.array.BYTES_PER_ELEMENT);
  const data = new type.array(voxelBytes.buffer as ArrayBuffer, 0, voxelCount);

  const unit = MM_PER_UNIT[header.xyzt_units & 7] ?? 1;
  const spacingMm = [1, 2, 3].map((d) => Math.abs(header.pixDims[d]) * unit) as [number, number, number];
  const affine = header.affine.map((row) => [...row]);
  const badGeometry = checkGeometry(name, spacingMm, affine);
  if (badGeometry) throw badGeometry;
  return {
    name,
    header,
    headerBytes: new Uint8Array(buffer.slice(0, headerEnd)),
    dims,
    spacingMm,
    affine,
    datatype: header.datatypeCode,
    data,
    scaling: headerScaling(header.scl_slope, header.scl_inter),
  };
}

/**
 * A volume is 3D when it has three spatial axes of more than one voxel; trailing axes
 * of size 1 (dim[0] = 4 or 5 with dim[4] = 1, common in exports) are accepted.
 */
function checkThreeDimensional(header: NiftiHeader, name: string): [number, number, number] {
  const nd = header.dims[0];
  const shape = header.dims.slice(1, 1 + Math.max(0, Math.min(nd, 7)));
  if (nd < 1 || nd > 7 || shape.some((n) => !(n >= 1))) {
    throw new InputError('not-nifti', `${name}: the NIfTI header has invalid dimensions (dim = [${header.dims.join(', ')}]).`, [name]);
  }
  const extra = shape.slice(3);
  if (extra.some((n) => n > 1)) {
    throw new InputError(
      'not-3d',
      `${name} is ${shape.length}D (${shape.join('×')}); Attune needs one 3D volume per file. ` +
        'Split the series or pick the volume you want first.',
      [name],
    );
  }
  const [x = 1, y = 1, z = 1] = shape;
  if (nd < 3 || x < 2 || y < 2 || z < 2) {
    throw new InputError(
      'not-3d',
      `${name} is not a 3D volume (${shape.join('×')}); Attune needs a 3D scan with several slices on each axis.`,
      [name],
    );
  }
  return [x, y, z];
}

function swapBytesInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let n = 0; n < bytes.length; n += width) {
    for (let a = n, b = n + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
