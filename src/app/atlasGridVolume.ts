import { createNiftiHeader, readNifti, writeNifti, type NiftiVolume } from '../core/index.ts';
import { spacingOf, type Grid } from '../core/registration/index.ts';

/**
 * Values on a grid (a prepared study's series on the atlas grid) as the NiftiVolume the
 * views take: a fresh header on that grid, encoded and read back through core's reader, so
 * the view shows exactly what a file of it would hold.
 */
export async function atlasGridVolume(grid: Grid, values: Float32Array, name: string): Promise<NiftiVolume> {
  const template = createNiftiHeader({ name: `${name}.nii`, dims: grid.dims, spacingMm: spacingOf(grid), affine: grid.affine.map((r) => [...r]), description: 'Attune: raw study on the atlas grid' });
  return readNifti(writeNifti(template, values, { gzip: false }), `${name}.nii`);
}
