import { NIFTI1 } from 'nifti-reader-js';
import { describe, expect, it } from 'vitest';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { bytesOf, rawNifti } from '../testing/niftiFixtures.ts';
import { createNiftiHeader } from './createNiftiHeader.ts';
import { physicalNifti } from './physicalNifti.ts';
import { readNifti } from './readNifti.ts';
import { voxelToWorld } from './voxelToWorld.ts';
import { writeNifti } from './writeNifti.ts';

describe('writeNifti', () => {
  it('writes a mask that overlays its source: same grid, spacing and affine', async () => {
    const synthetic = makeSyntheticCase({ seed: 5 });
    const source = await readNifti(synthetic.files.t1.bytes, synthetic.files.t1.name);
    const mask = new Uint8Array(source.data.length).map((_, n) => (n % 7 === 0 ? 4 : 0));
    const bytes = writeNifti(source, mask, { intentCode: 1002, description: 'Attune mask' });
    const back = await readNifti(bytes, 'mask.nii.gz');
    expect(back.dims).toEqual(source.dims);
    expect(back.spacingMm).toEqual(source.spacingMm);
    expect(back.affine).toEqual(source.affine);
    expect(back.datatype).toBe(2);
    expect(back.header.intent_code).toBe(1002);
    expect(back.header.description).toBe('Attune mask');
    expect(back.header.qform_code).toBe(source.header.qform_code);
    expect(back.header.sform_code).toBe(source.header.sform_code);
    expect(back.header.xyzt_units).toBe(source.header.xyzt_units);
    expect(Array.from(back.data)).toEqual(Array.from(mask));
  });

  it('writes float data uncompressed when asked, and leaves the template untouched', async () => {
    const template = createNiftiHeader({ name: 't.nii', dims: [3, 2, 2], spacingMm: [0.5, 0.5, 1] });
    const headerBefore = template.headerBytes.slice();
    const data = new Float32Array([0.5, -1.25, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.75]);
    const bytes = writeNifti(template, data, { gzip: false });
    expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(false);
    expect(bytes.length).toBe(352 + data.byteLength);
    const back = await readNifti(bytes, 'f.nii');
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(back.datatype).toBe(16);
    expect(template.headerBytes).toEqual(headerBefore);
    expect(template.header.datatypeCode).toBe(2);
  });

  it('keeps the source sform rows when the source prefers its qform', async () => {
    // qform (code 2) says origin (10, 20, 30); the sform (code 1) says (-1, -2, -3).
    const h = new NIFTI1();
    h.littleEndian = true;
    h.dims = [3, 2, 2, 2, 1, 1, 1, 1];
    h.pixDims = [1, 1, 1, 1, 0, 0, 0, 0];
    h.datatypeCode = 2;
    h.numBitsPerVoxel = 8;
    h.vox_offset = 352;
    h.xyzt_units = 2;
    h.qform_code = 2;
    h.sform_code = 1;
    h.qoffset_x = 10;
    h.qoffset_y = 20;
    h.qoffset_z = 30;
    h.affine = [[1, 0, 0, -1], [0, 1, 0, -2], [0, 0, 1, -3], [0, 0, 0, 1]];
    h.magic = 'n+1';
    const file = new Uint8Array(360);
    file.set(new Uint8Array(h.toArrayBuffer(false)));
    file.fill(1, 352);
    const source = await readNifti(file, 'src.nii');
    expect(source.affine[0][3]).toBe(10); // the reader prefers the higher-coded qform

    const out = writeNifti(source, new Uint8Array(8), { gzip: false });
    const view = new DataView(out.buffer, out.byteOffset);
    expect([view.getFloat32(280 + 12, true), view.getFloat32(296 + 12, true), view.getFloat32(312 + 12, true)]).toEqual([-1, -2, -3]);
    const back = await readNifti(out, 'out.nii');
    expect(back.affine).toEqual(source.affine);
  });

  it('refuses data that does not fit the grid', () => {
    const template = createNiftiHeader({ name: 't.nii', dims: [3, 2, 2], spacingMm: [1, 1, 1] });
    expect(() => writeNifti(template, new Uint8Array(11))).toThrow(/11 voxels given for a 3×2×2 grid/);
  });
});

describe('physicalNifti', () => {
  it('gives the viewer the validated physical values, uncompressed, on the source grid', async () => {
    const scaled = await readNifti(
      rawNifti({ dim: [3, 2, 2, 2], datatype: 4, bitsPerVoxel: 16, voxelBytes: bytesOf(new Int16Array([0, 1, 2, 3, 4, 5, 6, 7])), sclSlope: 0.5, sclInter: 1 }),
      's.nii',
    );
    const bytes = physicalNifti(scaled);
    expect(bytes[0]).not.toBe(0x1f);
    const back = await readNifti(bytes, 'view.nii');
    expect(Array.from(back.data)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    expect(back.affine).toEqual(scaled.affine);
  });
});

describe('voxelToWorld', () => {
  it('applies the affine (BraTS-like LPS axes flip i and j)', () => {
    const affine = [[-1, 0, 0, 0], [0, -1, 0, 239], [0, 0, 1, 0], [0, 0, 0, 1]];
    expect(voxelToWorld(affine, [10, 20, 30])).toEqual([-10, 219, 30]);
  });
});
