import { BRATS_LABELS, type BratsLabelKey } from '../labels/index.ts';
import { physicalValues, voxelVolumeMl, type NiftiVolume, type VoxelArray } from '../volume/index.ts';

export interface LabelVolume {
  value: number;
  key: BratsLabelKey;
  name: string;
  voxels: number;
  ml: number;
}

/** Voxel count and volume (mL) of each BraTS label in a label map. */
export function labelVolumes(labels: VoxelArray, voxelMl: number): LabelVolume[] {
  const counts = new Map<number, number>();
  for (let n = 0; n < labels.length; n++) {
    const v = labels[n];
    if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return BRATS_LABELS.map(({ value, key, name }) => {
    const voxels = counts.get(value) ?? 0;
    return { value, key, name, voxels, ml: voxels * voxelMl };
  });
}

/** labelVolumes for a label NIfTI, using its own voxel size. */
export function labelVolumesOf(volume: NiftiVolume): LabelVolume[] {
  return labelVolumes(physicalValues(volume), voxelVolumeMl(volume));
}
