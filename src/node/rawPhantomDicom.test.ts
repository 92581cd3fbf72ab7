import { describe, expect, it } from 'vitest';
import { convertDicomStudy } from '../core/dicom/index.ts';
import { MODALITIES } from '../core/modality/index.ts';
import { multiply4 } from '../core/registration/matrix.ts';
import { PHANTOM_LOCALISER, rawPhantomDicomSeries } from '../core/rawStudy/testing/rawPhantomFormats.ts';
import { rawPhantomStudy } from '../core/rawStudy/testing/rawPhantomStudy.ts';
import { dicomGeometryOfGrid, writeDicomSeries } from '../core/testing/dicomFixtures.ts';
import { readNifti } from '../core/volume/index.ts';
import { nodeDicomConverter } from './dcm2niixNode.ts';

/**
 * The DICOM fixture writer on oblique grids: the raw phantom's four series (each on its own
 * tilted 2.5–2.7 × 5–5.5 mm grid) written as DICOM and converted by the wasm dcm2niix the app
 * runs come back on the same grids — every voxel centre at the same point in space, with the
 * same value — and the series assignment gives each its role. dcm2niix stores rows bottom-up
 * (it flips the DICOM row order), so the converted affine is the grid's with j reversed.
 */
describe('the raw phantom as DICOM through wasm dcm2niix', () => {
  it('each series comes back on its own oblique grid with its voxels; the localiser is listed and skipped', async () => {
    const phantom = rawPhantomStudy();
    const specs = await rawPhantomDicomSeries(phantom);
    const study = await convertDicomStudy([PHANTOM_LOCALISER, ...MODALITIES.map((m) => specs[m])].flatMap((s) => writeDicomSeries(s)), nodeDicomConverter());
    expect(study.issues).toEqual([]);
    expect(study.series.map((s) => [s.niftiName, s.decision.role ?? s.decision.skip])).toEqual([
      ['1_localizer.nii', 'localiser'],
      ['3_t1_se_tra.nii', 't1'],
      ['4_t2_tse_tra.nii', 't2'],
      ['5_t2_tirm_tra_dark-fluid.nii', 'flair'],
      ['6_t1_se_tra.nii', 't1ce'],
    ]);
    for (const m of MODALITIES) {
      const series = study.series.find((s) => s.decision.role === m)!;
      const converted = await readNifti(series.nifti, series.niftiName);
      const original = await readNifti(phantom.files.find((f) => f.name === `phantom_${m}.nii.gz`)!.bytes, m);
      const [X, Y, Z] = original.dims;
      expect(converted.dims, m).toEqual(original.dims);
      // j reversed: voxel (i, j, k) of the conversion is voxel (i, Y−1−j, k) of the grid.
      const flipJ = [[1, 0, 0, 0], [0, -1, 0, Y - 1], [0, 0, 1, 0], [0, 0, 0, 1]];
      const want = multiply4(original.affine, flipJ);
      converted.affine.forEach((row, r) => row.forEach((v, c) => expect(v, `${m} affine[${r}][${c}]`).toBeCloseTo(want[r][c], 3)));
      let differ = 0;
      for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) if (converted.data[i + X * (j + Y * k)] !== original.data[i + X * (Y - 1 - j + Y * k)]) differ++;
      expect(differ, `${m}: voxels that differ`).toBe(0);
    }
  });

  it('a grid whose k axis runs against row × column is refused, not written misplaced', () => {
    const affine = [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, -3, 0], [0, 0, 0, 1]];
    expect(() => dicomGeometryOfGrid([4, 4, 4], affine)).toThrow(/k axis is not along row × column/);
    // RAS → DICOM's LPS: x and y change sign.
    const g = dicomGeometryOfGrid([4, 4, 4], [[2, 0, 0, 1], [0, 2, 0, 2], [0, 0, 3, 3], [0, 0, 0, 1]]);
    expect({ ...g, orientation: g.orientation.map((v) => v + 0) }).toEqual({ dims: [4, 4, 4], spacing: [2, 2, 3], orientation: [-1, 0, 0, 0, -1, 0], origin: [-1, -2, 3] });
  });
});
