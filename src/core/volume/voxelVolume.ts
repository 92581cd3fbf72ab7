import type { NiftiVolume } from './types.ts';

/** Volume of one voxel in millilitres (1 mL = 1000 mm³). */
export function voxelVolumeMl(volume: Pick<NiftiVolume, 'spacingMm'>): number {
  const [dx, dy, dz] = volume.spacingMm;
  return (dx * dy * dz) / 1000;
}
