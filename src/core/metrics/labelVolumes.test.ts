import { describe, expect, it } from 'vitest';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { readNifti } from '../volume/index.ts';
import { labelVolumes, labelVolumesOf } from './labelVolumes.ts';

describe('labelVolumes', () => {
  it('counts voxels per BraTS label and converts with the voxel size', () => {
    const labels = new Uint8Array([0, 1, 1, 2, 2, 2, 4, 0, 4, 4, 4, 4]);
    expect(labelVolumes(labels, 0.5)).toEqual([
      { value: 1, key: 'NCR', name: 'Necrotic tumour core', voxels: 2, ml: 1 },
      { value: 2, key: 'ED', name: 'Peritumoral edema', voxels: 3, ml: 1.5 },
      { value: 4, key: 'ET', name: 'GD-enhancing tumour', voxels: 5, ml: 2.5 },
    ]);
  });

  it('reads the voxel size from the label file (2×2×3 mm = 0.012 mL)', async () => {
    const synthetic = makeSyntheticCase({ seed: 4, spacingMm: [2, 2, 3] });
    const seg = await readNifti(synthetic.files.seg.bytes, synthetic.files.seg.name);
    const volumes = labelVolumesOf(seg);
    for (const v of volumes) {
      const count = synthetic.labels.filter((l) => l === v.value).length;
      expect(count).toBeGreaterThan(0); // the phantom has all three regions
      expect(v.voxels).toBe(count);
      expect(v.ml).toBeCloseTo(count * 0.012, 10);
    }
  });
});
