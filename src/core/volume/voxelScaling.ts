import type { NiftiVolume, VoxelArray } from './types.ts';

/**
 * The header's scl_slope/scl_inter as nibabel interprets them (the Python trainer reads
 * volumes with nibabel, and both sides must see the same numbers): a slope of 0 or a
 * non-finite slope means "no scaling"; a non-finite intercept means 0.
 */
export function headerScaling(slope: number, inter: number): { slope: number; inter: number } {
  if (!Number.isFinite(slope) || slope === 0) return { slope: 1, inter: 0 };
  return { slope, inter: Number.isFinite(inter) ? inter : 0 };
}

export function isIdentityScaling(s: { slope: number; inter: number }): boolean {
  return s.slope === 1 && s.inter === 0;
}

/**
 * Physical voxel values. Returns the stored array itself when no scaling applies (the
 * common case for BraTS int16 volumes: no copy of a 36 MB array), otherwise a float64
 * copy, matching nibabel's get_fdata().
 */
export function physicalValues(volume: Pick<NiftiVolume, 'data' | 'scaling'>): VoxelArray {
  if (isIdentityScaling(volume.scaling)) return volume.data;
  const { slope, inter } = volume.scaling;
  const out = new Float64Array(volume.data.length);
  for (let n = 0; n < out.length; n++) out[n] = volume.data[n] * slope + inter;
  return out;
}
