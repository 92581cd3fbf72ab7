import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { NIFTI1, NIFTI2 } from 'nifti-reader-js';
import type { InputFile } from '../case/index.ts';
import { MODALITIES, type Modality } from '../modality/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { readNifti, type NiftiVolume } from '../volume/index.ts';

/**
 * Generators of broken NIfTI files for property-based fuzzing of the input path: a valid
 * case (four scans on one grid, encoded one of several ways) and a list of mutations to one
 * of its files — header fields set to odd values, byte flips, truncation, trailing garbage,
 * then optionally gzip and damage to the gzip stream. Mutations are plain data, so fast-check
 * can print and shrink them, and a failure names the exact bytes that broke the reader.
 */

type FieldType = 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

export interface HeaderField {
  name: string;
  offset: number;
  type: FieldType;
}

const run = (name: string, offset: number, type: FieldType, count: number): HeaderField[] =>
  Array.from({ length: count }, (_, k) => ({ name: `${name}[${k}]`, offset: offset + k * size(type), type }));

function size(type: FieldType): number {
  return { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 }[type];
}

/** NIfTI-1 header fields (nifti1.h offsets) a reader interprets. */
export const NIFTI1_FIELDS: HeaderField[] = [
  { name: 'sizeof_hdr', offset: 0, type: 'i32' },
  { name: 'dim_info', offset: 39, type: 'u8' },
  ...run('dim', 40, 'i16', 8),
  { name: 'intent_code', offset: 68, type: 'i16' },
  { name: 'datatype', offset: 70, type: 'i16' },
  { name: 'bitpix', offset: 72, type: 'i16' },
  ...run('pixdim', 76, 'f32', 8),
  { name: 'vox_offset', offset: 108, type: 'f32' },
  { name: 'scl_slope', offset: 112, type: 'f32' },
  { name: 'scl_inter', offset: 116, type: 'f32' },
  { name: 'xyzt_units', offset: 123, type: 'u8' },
  { name: 'cal_max', offset: 124, type: 'f32' },
  { name: 'cal_min', offset: 128, type: 'f32' },
  { name: 'qform_code', offset: 252, type: 'i16' },
  { name: 'sform_code', offset: 254, type: 'i16' },
  ...run('quatern_bcd', 256, 'f32', 3),
  ...run('qoffset_xyz', 268, 'f32', 3),
  ...run('srow_xyz', 280, 'f32', 12),
  ...run('magic', 344, 'u8', 4),
  { name: 'extension', offset: 348, type: 'u8' },
];

/** NIfTI-2 header fields (nifti2.h offsets). */
export const NIFTI2_FIELDS: HeaderField[] = [
  { name: 'sizeof_hdr', offset: 0, type: 'i32' },
  ...run('magic', 4, 'u8', 8),
  { name: 'datatype', offset: 12, type: 'i16' },
  { name: 'bitpix', offset: 14, type: 'i16' },
  ...run('dim', 16, 'i64', 8),
  ...run('pixdim', 104, 'f64', 8),
  { name: 'vox_offset', offset: 168, type: 'i64' },
  { name: 'scl_slope', offset: 176, type: 'f64' },
  { name: 'scl_inter', offset: 184, type: 'f64' },
  { name: 'qform_code', offset: 344, type: 'i32' },
  { name: 'sform_code', offset: 348, type: 'i32' },
  ...run('quatern_bcd', 352, 'f64', 3),
  ...run('qoffset_xyz', 376, 'f64', 3),
  ...run('srow_xyz', 400, 'f64', 12),
  { name: 'xyzt_units', offset: 500, type: 'i32' },
  { name: 'extension', offset: 540, type: 'u8' },
];

/** One way of damaging a file's bytes. */
export type Mutation =
  /** `value` is written in the file's byte order unless `swapped`. */
  | { kind: 'field'; field: number; value: number | bigint; swapped: boolean }
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: number[] };

/** What happens to the bytes after the mutations: stay raw, or gzip (and maybe damage the stream). */
export type Packing =
  | { kind: 'raw' }
  | { kind: 'gzip' }
  | { kind: 'gzip-truncate'; at: number }
  | { kind: 'gzip-flip'; at: number; xor: number }
  | { kind: 'gzip-trailer'; at: number; value: number }
  | { kind: 'gzip-append'; bytes: number[] };

export interface FuzzCase {
  base: number;
  /** Which of the four files is damaged. */
  target: Modality;
  mutations: Mutation[];
  packing: Packing;
}

/** A case family: four scans on one grid, all encoded the same way. */
export interface FuzzBase {
  label: string;
  fields: HeaderField[];
  littleEndian: boolean;
  /** Uncompressed .nii bytes per modality. */
  files: Record<Modality, Uint8Array>;
}

const GRID: [number, number, number] = [10, 9, 6];

/**
 * Valid cases the fuzzer starts from, each a different encoding of the same phantom:
 * NIfTI-1 int16 (the project's writer), NIfTI-1 big-endian, NIfTI-1 float32 with scaling,
 * NIfTI-2, and — when given — a real scanner header with the phantom's grid.
 */
export function fuzzBases(realHeader?: Uint8Array): FuzzBase[] {
  const phantom = makeSyntheticCase({ seed: 7, dims: GRID, gzip: false });
  const encode = (f: (data: Int16Array, m: Modality) => Uint8Array) =>
    Object.fromEntries(MODALITIES.map((m) => [m, f(phantom.images[m], m)])) as Record<Modality, Uint8Array>;
  const asRaw = (m: Modality) => {
    const b = phantom.files[m].bytes;
    return b instanceof Uint8Array ? b : new Uint8Array(b);
  };
  const bases: FuzzBase[] = [
    { label: 'nifti1-int16', fields: NIFTI1_FIELDS, littleEndian: true, files: encode((_, m) => asRaw(m)) },
    {
      label: 'nifti1-big-endian',
      fields: NIFTI1_FIELDS,
      littleEndian: false,
      files: encode((data, m) => reencode(asRaw(m), data, { littleEndian: false })),
    },
    {
      label: 'nifti1-float32-scaled',
      fields: NIFTI1_FIELDS,
      littleEndian: true,
      files: encode((data, m) => reencode(asRaw(m), Float32Array.from(data, (v) => (v + 10) / 2), { slope: 2, inter: -10 })),
    },
    { label: 'nifti2', fields: NIFTI2_FIELDS, littleEndian: true, files: encode((data, m) => asNifti2(asRaw(m), data)) },
  ];
  if (realHeader) {
    bases.push({
      label: 'real-header',
      fields: NIFTI1_FIELDS,
      littleEndian: true,
      files: encode((data) => onRealHeader(realHeader, data)),
    });
  }
  return bases;
}

function headerOf(raw: Uint8Array): NIFTI1 {
  const h = new NIFTI1();
  h.readHeader(raw.slice(0, 348).buffer as ArrayBuffer);
  return h;
}

/** The same header and voxels, in another byte order or datatype with scaling. */
function reencode(raw: Uint8Array, data: Int16Array | Float32Array, o: { littleEndian?: boolean; slope?: number; inter?: number }): Uint8Array {
  const h = headerOf(raw);
  h.littleEndian = o.littleEndian ?? true;
  h.datatypeCode = data instanceof Float32Array ? 16 : 4;
  h.numBitsPerVoxel = data.BYTES_PER_ELEMENT * 8;
  h.scl_slope = o.slope ?? 1;
  h.scl_inter = o.inter ?? 0;
  h.vox_offset = 352;
  const header = new Uint8Array(h.toArrayBuffer(false));
  const voxels = new Uint8Array(data.buffer.slice(0));
  if (!h.littleEndian) {
    const w = data.BYTES_PER_ELEMENT;
    for (let n = 0; n < voxels.length; n += w) voxels.subarray(n, n + w).reverse();
  }
  return concat(header, voxels);
}

function asNifti2(raw: Uint8Array, data: Int16Array): Uint8Array {
  const src = headerOf(raw);
  const h = new NIFTI2();
  h.littleEndian = true;
  h.dims = [...src.dims];
  h.pixDims = [...src.pixDims];
  h.datatypeCode = 4;
  h.numBitsPerVoxel = 16;
  h.vox_offset = 544;
  h.scl_slope = 1;
  h.scl_inter = 0;
  h.xyzt_units = src.xyzt_units;
  h.qform_code = src.qform_code;
  h.sform_code = src.sform_code;
  h.quatern_b = src.quatern_b;
  h.quatern_c = src.quatern_c;
  h.quatern_d = src.quatern_d;
  h.qoffset_x = src.qoffset_x;
  h.qoffset_y = src.qoffset_y;
  h.qoffset_z = src.qoffset_z;
  h.affine = src.affine.map((r) => [...r]);
  h.magic = 'n+2';
  const header = new Uint8Array(h.toArrayBuffer(false)).slice(0, 544);
  return concat(header, new Uint8Array(data.buffer.slice(0)));
}

/** A real scanner's header (its qform/sform, units, description) with the phantom's grid and voxels. */
function onRealHeader(realHeader: Uint8Array, data: Int16Array): Uint8Array {
  const header = new Uint8Array(352);
  header.set(realHeader.subarray(0, 348));
  const view = new DataView(header.buffer);
  GRID.forEach((n, k) => view.setInt16(42 + 2 * k, n, true));
  view.setInt16(40, 3, true);
  view.setInt16(70, 4, true);
  view.setInt16(72, 16, true);
  view.setFloat32(108, 352, true);
  view.setFloat32(112, 1, true);
  view.setFloat32(116, 0, true);
  return concat(header, new Uint8Array(data.buffer.slice(0)));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Writes one mutation into a copy of `bytes` (uncompressed file). */
export function applyMutations(bytes: Uint8Array, base: FuzzBase, mutations: Mutation[]): Uint8Array {
  let out: Uint8Array = bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'truncate') out = out.slice(0, Math.min(out.length, m.at));
    else if (m.kind === 'append') out = concat(out, Uint8Array.from(m.bytes));
    else if (m.kind === 'flip') {
      if (out.length > 0) out[m.at % out.length] ^= m.xor;
    } else {
      const field = base.fields[m.field % base.fields.length];
      if (field.offset + size(field.type) > out.length) continue;
      writeField(new DataView(out.buffer, out.byteOffset, out.byteLength), field, m.value, base.littleEndian !== m.swapped);
    }
  }
  return out;
}

function writeField(view: DataView, field: HeaderField, value: number | bigint, le: boolean): void {
  const at = field.offset;
  const int = (v: number | bigint) => (typeof v === 'bigint' ? v : BigInt(Number.isFinite(v) ? Math.trunc(v) : 0));
  const num = (v: number | bigint) => Number(v);
  switch (field.type) {
    case 'u8': return view.setUint8(at, Number(BigInt.asUintN(8, int(value))));
    case 'i16': return view.setInt16(at, Number(BigInt.asIntN(16, int(value))), le);
    case 'i32': return view.setInt32(at, Number(BigInt.asIntN(32, int(value))), le);
    case 'i64': return view.setBigInt64(at, BigInt.asIntN(64, int(value)), le);
    case 'f32': return view.setFloat32(at, num(value), le);
    case 'f64': return view.setFloat64(at, num(value), le);
  }
}

/** Packs the (mutated) bytes: raw, or gzip, possibly with a damaged stream. */
export function pack(bytes: Uint8Array, packing: Packing): Uint8Array {
  if (packing.kind === 'raw') return bytes;
  const gz = gzipSync(bytes, { level: 1, mtime: 0 });
  switch (packing.kind) {
    case 'gzip': return gz;
    case 'gzip-truncate': return gz.slice(0, packing.at % (gz.length + 1));
    case 'gzip-flip': {
      const out = gz.slice();
      out[packing.at % out.length] ^= packing.xor;
      return out;
    }
    case 'gzip-trailer': {
      // CRC-32 and ISIZE (uncompressed length mod 2^32) are the last 8 bytes.
      const out = gz.slice();
      out[out.length - 8 + (packing.at % 8)] = packing.value;
      return out;
    }
    case 'gzip-append': return concat(gz, Uint8Array.from(packing.bytes));
  }
}

export interface FuzzFiles {
  /** The four dropped files, in MODALITIES order. */
  files: InputFile[];
  /** The damaged one, and its length before packing (what the reader may decompress to). */
  target: { name: string; bytes: Uint8Array<ArrayBufferLike> };
  unpackedLength: number;
}

/** The dropped files of a fuzz case: the base's four scans, one of them damaged. */
export function fuzzFiles(bases: FuzzBase[], c: FuzzCase): FuzzFiles {
  const base = bases[c.base % bases.length];
  const mutated = applyMutations(base.files[c.target], base, c.mutations);
  const target = { name: `Fuzz_${base.label}_${c.target}${c.packing.kind === 'raw' ? '.nii' : '.nii.gz'}`, bytes: pack(mutated, c.packing) };
  const files = MODALITIES.map((m) => (m === c.target ? target : { name: `Fuzz_${base.label}_${m}.nii`, bytes: base.files[m] }));
  return { files, target, unpackedLength: mutated.length };
}

// ---- arbitraries -------------------------------------------------------------------

const ODD_INTS = [0, 1, -1, 2, 3, 4, 5, 7, 8, 16, 32, 64, 128, 255, 256, 348, 351, 352, 353, 540, 544, 1024, 32767, -32768, 65535, 2 ** 31 - 1, -(2 ** 31)];
const ODD_BIGINTS = [2n ** 32n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n)];
const ODD_FLOATS = [0, -0, 0.5, -1, 1e-30, 1e-45, 1e30, 3.4e38, 1e300, Number.NaN, Infinity, -Infinity, 352.5, 1e9];

const oddNumber: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_INTS) },
  { weight: 2, arbitrary: fc.constantFrom<number | bigint>(...ODD_BIGINTS) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_FLOATS) },
  { weight: 2, arbitrary: fc.integer({ min: -70000, max: 70000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: false }) },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.nat(), value: oddNumber, swapped: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.oneof(fc.nat(600), fc.nat()), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.oneof(fc.nat(400), fc.nat(3000)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.nat(255), { maxLength: 64 }) }) },
);

const packing: fc.Arbitrary<Packing> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'raw' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'gzip' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gzip-truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gzip-flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gzip-trailer' as const), at: fc.nat(7), value: fc.nat(255) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('gzip-append' as const), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 32 }) }) },
);

export function fuzzCaseArbitrary(baseCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    base: fc.nat(baseCount - 1),
    target: fc.constantFrom(...MODALITIES),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 6 }),
    packing,
  });
}

/** Reads a real .nii.gz's header bytes (first 348), for the real-header base. */
export async function realHeaderOf(bytes: Uint8Array): Promise<Uint8Array> {
  const v: NiftiVolume = await readNifti(bytes, 'real');
  return v.headerBytes.slice(0, 348);
}
