import { MODALITIES, type Modality } from '../modality/index.ts';
import { maskToNative } from '../registration/mapBack.ts';
import { createNiftiHeader } from '../volume/createNiftiHeader.ts';
import { writeNifti } from '../volume/writeNifti.ts';
import type { PreparedStudy } from './prepareRawStudy.ts';

/**
 * The prepared study as four gzipped NIfTI files on the atlas grid (`<stem>_<modality>.nii.gz`),
 * so the model runs through the same `loadCase` → `preprocess` path as a BraTS-ready case
 * and the mask it writes is on the atlas grid.
 */
export function atlasCaseFiles(prepared: PreparedStudy, stem = 'raw-study'): { name: string; bytes: Uint8Array }[] {
  return MODALITIES.map((m: Modality) => {
    const name = `${stem}_${m}.nii.gz`;
    const template = createNiftiHeader({ name, dims: prepared.grid.dims, spacingMm: [1, 1, 1], affine: prepared.grid.affine.map((r) => [...r]), description: 'Attune: raw study on the SRI24 grid' });
    return { name, bytes: writeNifti(template, prepared.onAtlas[m]) };
  });
}

/** A mask the model made on the atlas grid, on the T1Gd's own grid (nearest neighbour through the inverse of its map). */
export function maskOnT1ce(prepared: PreparedStudy, atlasMask: Uint8Array): Uint8Array {
  return maskToNative(atlasMask, prepared.grid, prepared.t1ceGrid, prepared.registration.modalities.t1ce.atlasToNative);
}
