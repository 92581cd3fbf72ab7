import type { VoxelArray } from './types.ts';

type VoxelArrayConstructor = {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): VoxelArray;
  new (length: number): VoxelArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** NIfTI datatype codes Attune reads and writes (nifti1.h), with their array types. */
export const SUPPORTED_DATATYPES: Record<number, { name: string; array: VoxelArrayConstructor }> = {
  2: { name: 'uint8', array: Uint8Array },
  4: { name: 'int16', array: Int16Array },
  8: { name: 'int32', array: Int32Array },
  16: { name: 'float32', array: Float32Array },
  64: { name: 'float64', array: Float64Array },
  256: { name: 'int8', array: Int8Array },
  512: { name: 'uint16', array: Uint16Array },
  768: { name: 'uint32', array: Uint32Array },
};

/** Names of codes we refuse, so the message can say what the file actually holds. */
const UNSUPPORTED_NAMES: Record<number, string> = {
  0: 'unknown',
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1024: 'int64',
  1280: 'uint64',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export function datatypeName(code: number): string {
  return SUPPORTED_DATATYPES[code]?.name ?? UNSUPPORTED_NAMES[code] ?? `code ${code}`;
}

/** The NIfTI datatype code that stores a given typed array without conversion. */
export function datatypeOf(data: VoxelArray): number {
  for (const [code, { array }] of Object.entries(SUPPORTED_DATATYPES)) {
    if (data instanceof array) return Number(code);
  }
  throw new Error(`No NIfTI datatype for ${Object.prototype.toString.call(data)}`);
}
