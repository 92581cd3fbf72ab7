import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../inputIssue.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { bytesOf, niftiOf, rawNifti } from '../testing/niftiFixtures.ts';
import type { InputLimits } from './inputLimits.ts';
import { readNifti } from './readNifti.ts';
import { physicalValues } from './voxelScaling.ts';

async function readError(bytes: Uint8Array, name: string): Promise<InputError> {
  try {
    await readNifti(bytes, name);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error(`expected ${name} to be refused`);
}

async function readErrorWith(bytes: Uint8Array, name: string, limits: InputLimits): Promise<InputError> {
  const err = await readNifti(bytes, name, limits).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('readNifti', () => {
  const synthetic = makeSyntheticCase({ seed: 3, spacingMm: [2, 2, 3] });

  it('reads a .nii.gz: grid, spacing, affine and voxels as written', async () => {
    const vol = await readNifti(synthetic.files.t1ce.bytes, synthetic.files.t1ce.name);
    expect(vol.dims).toEqual([48, 48, 24]);
    expect(vol.spacingMm).toEqual([2, 2, 3]);
    expect(vol.datatype).toBe(4);
    expect(vol.data).toBeInstanceOf(Int16Array);
    expect(Array.from(vol.data)).toEqual(Array.from(synthetic.images.t1ce));
    // centred grid in BraTS's L, P, S orientation: voxel (0,0,0) at (+(n−1)/2, +(n−1)/2, −(n−1)/2)·spacing
    expect(vol.affine[0][0]).toBeCloseTo(-2);
    expect(vol.affine[2][2]).toBeCloseTo(3);
    expect(vol.affine[0][3]).toBeCloseTo(47);
    expect(vol.affine[2][3]).toBeCloseTo(-34.5);
  });

  it('reads an uncompressed .nii the same way', async () => {
    const plain = makeSyntheticCase({ seed: 3, gzip: false, spacingMm: [2, 2, 3] });
    expect(plain.files.t2.name.endsWith('.nii')).toBe(true);
    const vol = await readNifti(plain.files.t2.bytes, plain.files.t2.name);
    expect(Array.from(vol.data)).toEqual(Array.from(synthetic.images.t2));
  });

  it('never modifies or aliases the caller’s bytes', async () => {
    for (const bytes of [synthetic.files.flair.bytes as Uint8Array, makeSyntheticCase({ gzip: false }).files.flair.bytes as Uint8Array]) {
      const before = bytes.slice();
      const vol = await readNifti(bytes, 'x.nii.gz');
      vol.data.fill(7);
      vol.headerBytes.fill(0);
      expect(bytes).toEqual(before);
    }
  });

  it('refuses a file that is not NIfTI, naming it', async () => {
    const err = await readError(new TextEncoder().encode('patient notes, not an image\n'.repeat(40)), 'notes.txt');
    expect(err.code).toBe('not-nifti');
    expect(err.message).toContain('notes.txt is not a NIfTI file');
  });

  it('refuses a gzip file that does not hold NIfTI', async () => {
    const err = await readError(gzipSync(new TextEncoder().encode('hello '.repeat(100))), 'report.nii.gz');
    expect(err.code).toBe('not-nifti');
    expect(err.message).toContain('gzip-compressed but does not contain a NIfTI image');
  });

  it('refuses truncated gzip', async () => {
    const bytes = synthetic.files.t1.bytes as Uint8Array;
    const err = await readError(bytes.subarray(0, Math.floor(bytes.length / 2)), 'cut.nii.gz');
    expect(err.code).toBe('corrupt-gzip');
    expect(err.message).toMatch(/cut\.nii\.gz: the gzip data is corrupt or truncated/);
  });

  it('refuses corrupt gzip (checksum), not just unreadable streams', async () => {
    const bytes = (synthetic.files.t1.bytes as Uint8Array).slice();
    bytes[bytes.length - 6] ^= 0xff; // inside the CRC-32 trailer: inflate alone would not notice
    const err = await readError(bytes, 'flipped.nii.gz');
    expect(err.code).toBe('corrupt-gzip');
  });

  it('refuses an uncompressed file whose voxel data is cut short', async () => {
    const bytes = makeSyntheticCase({ gzip: false }).files.t1.bytes as Uint8Array;
    const err = await readError(bytes.subarray(0, bytes.length - 100), 'short.nii');
    expect(err.code).toBe('truncated');
    expect(err.message).toContain('short.nii is truncated');
    expect(err.message).toContain(`${48 * 48 * 24 * 2} bytes`);
  });

  it('refuses a 4D series and says its shape', async () => {
    const bytes = rawNifti({ dim: [4, 4, 4, 3, 2], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(96).fill(1) });
    const err = await readError(bytes, 'dwi.nii');
    expect(err.code).toBe('not-3d');
    expect(err.message).toContain('4D (4×4×3×2)');
  });

  it('refuses a 2D image', async () => {
    const bytes = rawNifti({ dim: [2, 16, 16], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(256).fill(1) });
    const err = await readError(bytes, 'slice.nii');
    expect(err.code).toBe('not-3d');
    expect(err.message).toContain('slice.nii is not a 3D volume (16×16)');
  });

  it('accepts a trailing singleton 4th dimension', async () => {
    const bytes = rawNifti({ dim: [4, 4, 4, 3, 1], datatype: 2, bitsPerVoxel: 8, voxelBytes: new Uint8Array(48).fill(5) });
    const vol = await readNifti(bytes, 'ok.nii');
    expect(vol.dims).toEqual([4, 4, 3]);
  });

  it('refuses voxel types it cannot use (RGB)', async () => {
    const bytes = rawNifti({ dim: [3, 4, 4, 3], datatype: 128, bitsPerVoxel: 24, voxelBytes: new Uint8Array(144) });
    const err = await readError(bytes, 'photo.nii');
    expect(err.code).toBe('unsupported-datatype');
    expect(err.message).toContain('photo.nii stores RGB24 voxels');
    expect(err.message).toContain('Convert it to int16 or float32 first');
  });

  it('refuses a header that declares more voxels than the memory budget, before allocating them', async () => {
    // 2048³ int16 = 16 GiB declared, 64 bytes present: "too large" (what to do), not "truncated".
    const bytes = rawNifti({ dim: [3, 2048, 2048, 2048], datatype: 4, bitsPerVoxel: 16, voxelBytes: new Uint8Array(64) });
    const err = await readError(bytes, 'whole-body.nii');
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('whole-body.nii declares 2048×2048×2048 voxels (16.0 GiB), beyond the memory budget for one scan');
    expect(err.message).toContain('crop and resample it to 1 mm');
  });

  it('stops inflating a .nii.gz past the budget instead of filling the memory', async () => {
    const bomb = gzipSync(new Uint8Array(3 * 1024 * 1024)); // 3 MiB of zeros, a few KiB gzipped
    const err = await readErrorWith(bomb, 'bomb.nii.gz', { maxFileBytes: 1e9, maxVoxelBytes: 1024 * 1024, maxVoxels: 1e9 });
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('bomb.nii.gz decompresses to more than 2 MiB');
    // The same file within the default budget is simply not NIfTI.
    expect((await readError(bomb, 'bomb.nii.gz')).code).toBe('not-nifti');
  });

  it('reads big-endian files into native order', async () => {
    const values = [1, -2, 300, 4000, -5000, 6, 7, 8];
    const be = new Uint8Array(values.length * 2);
    const view = new DataView(be.buffer);
    values.forEach((v, n) => view.setInt16(2 * n, v, false));
    const bytes = rawNifti({ dim: [3, 2, 2, 2], datatype: 4, bitsPerVoxel: 16, littleEndian: false, voxelBytes: be });
    const vol = await readNifti(bytes, 'be.nii');
    expect(Array.from(vol.data)).toEqual(values);
  });

  it('applies scl_slope/scl_inter like nibabel (and ignores slope 0)', async () => {
    const raw = bytesOf(new Int16Array([0, 1, 2, 3, 4, 5, 6, 7]));
    const scaled = await readNifti(rawNifti({ dim: [3, 2, 2, 2], datatype: 4, bitsPerVoxel: 16, voxelBytes: raw, sclSlope: 2, sclInter: 10 }), 's.nii');
    expect(Array.from(physicalValues(scaled))).toEqual([10, 12, 14, 16, 18, 20, 22, 24]);
    const unscaled = await readNifti(rawNifti({ dim: [3, 2, 2, 2], datatype: 4, bitsPerVoxel: 16, voxelBytes: raw, sclSlope: 0, sclInter: 10 }), 'u.nii');
    expect(Array.from(physicalValues(unscaled))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('converts header spacing units to millimetres', async () => {
    const bytes = niftiOf('m.nii', new Uint8Array(8 * 8 * 6).fill(1), { spacingMm: [1.5, 1.5, 2] });
    const vol = await readNifti(bytes, 'm.nii');
    expect(vol.spacingMm).toEqual([1.5, 1.5, 2]);
  });
});
