import { NIFTI1, NIFTI2 } from 'nifti-reader-js';
import { SUPPORTED_DATATYPES, datatypeOf } from './datatypes.ts';
import { gzip } from './gzip.ts';
import type { NiftiHeader, NiftiVolume, VoxelArray } from './types.ts';

/** What writeNifti needs from a source volume: its header and grid. */
export type NiftiTemplate = Pick<NiftiVolume, 'name' | 'header' | 'headerBytes' | 'dims'>;

export interface WriteNiftiOptions {
  /** gzip the result (.nii.gz); default true. */
  gzip?: boolean;
  /** Replaces the header's 80-character description. */
  description?: string;
  /** NIfTI intent code, e.g. 1002 (NIFTI_INTENT_LABEL) for label maps; default: the source's. */
  intentCode?: number;
}

/** The NIfTI-1 sform rows (srow_x/y/z) live at bytes 280..327 of the header. */
const NIFTI1_SROW_OFFSET = 280;

/**
 * Writes `data` (one value per voxel of the template's grid, i fastest) as a NIfTI file
 * whose header is the template's own: same dimensions, spacing, qform/sform and units,
 * so the result overlays the source scan in any viewer. Only what must change is
 * changed: datatype (from the array type), scaling (identity), cal range, extensions
 * (dropped) and the voxel offset. Pure: the template is not modified.
 */
export function writeNifti(template: NiftiTemplate, data: VoxelArray, options: WriteNiftiOptions = {}): Uint8Array {
  const [x, y, z] = template.dims;
  if (data.length !== x * y * z) {
    throw new Error(`writeNifti: ${data.length} voxels given for a ${x}×${y}×${z} grid (${template.name})`);
  }
  const header = cloneHeader(template.header, template.headerBytes);
  const datatype = datatypeOf(data);
  const isNifti2 = header instanceof NIFTI2;
  header.littleEndian = true; // the typed array below is written in native (little-endian) order
  header.dims = [3, x, y, z, 1, 1, 1, 1];
  header.datatypeCode = datatype;
  header.numBitsPerVoxel = SUPPORTED_DATATYPES[datatype].array.BYTES_PER_ELEMENT * 8;
  header.scl_slope = 1;
  header.scl_inter = 0;
  header.cal_min = 0;
  header.cal_max = 0;
  header.vox_offset = isNifti2 ? 544 : 352;
  header.extensionFlag = [0, 0, 0, 0];
  header.extensions = [];
  if (options.description !== undefined) header.description = options.description.slice(0, 79);
  if (options.intentCode !== undefined) header.intent_code = options.intentCode;

  const headerOut = new Uint8Array(header.toArrayBuffer(false));
  if (!isNifti2) keepSourceSform(template, headerOut);

  const voxels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const file = new Uint8Array(headerOut.length + voxels.length);
  file.set(headerOut, 0);
  file.set(voxels, headerOut.length);
  return options.gzip === false ? file : gzip(file);
}

function cloneHeader(source: NiftiHeader, headerBytes: Uint8Array): NiftiHeader {
  const clone = source instanceof NIFTI2 ? new NIFTI2() : new NIFTI1();
  clone.readHeader(headerBytes.slice().buffer as ArrayBuffer);
  return clone;
}

/**
 * nifti-reader-js writes its *chosen* affine into srow. When a file has both forms and
 * prefers the qform (qform_code > sform_code > 0), that would overwrite the file's sform
 * with the qform matrix; copy the original srow rows back so both forms survive.
 */
function keepSourceSform(template: NiftiTemplate, headerOut: Uint8Array): void {
  const src = template.header;
  if (!(src.sform_code > 0 && src.qform_code > src.sform_code)) return;
  const from = new DataView(template.headerBytes.buffer, template.headerBytes.byteOffset, template.headerBytes.byteLength);
  const to = new DataView(headerOut.buffer, headerOut.byteOffset, headerOut.byteLength);
  for (let n = 0; n < 12; n++) {
    const at = NIFTI1_SROW_OFFSET + 4 * n;
    to.setFloat32(at, from.getFloat32(at, src.littleEndian), true);
  }
}
