import type { Modality } from '../../modality/index.ts';
import { applyToPoint } from '../../registration/matrix.ts';
import { sampleOnGrid } from '../../registration/testing/headPhantom.ts';
import { dicomGeometryOfGrid, type SeriesSpec } from '../../testing/dicomFixtures.ts';
import { readNifti, writeNifti } from '../../volume/index.ts';
import { inPhantomBrain, type RawPhantomStudy } from './rawPhantomStudy.ts';

/**
 * The raw phantom study (rawPhantomStudy.ts) in the other forms a clinician drops: skull-stripped
 * on its raw grids, and as a scanner's DICOM series. Tests and the e2e only.
 */

/**
 * Each series with everything outside the phantom's brain set to 0 (skull, scalp and the air's
 * noise gone), on its own raw grid, under its own name: what a skull-stripping tool run on
 * each raw series writes (e.g. HD-BET per series).
 */
export async function strippedRawPhantomFiles(study: RawPhantomStudy): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all(
    study.files.map(async (file) => {
      const m = modalityOf(file.name);
      const volume = await readNifti(file.bytes, file.name);
      const brain = sampleOnGrid(study.grids[m], (q) => (inPhantomBrain(applyToPoint(study.seriesToHead[m], q)) ? 1 : 0));
      return { name: file.name, bytes: writeNifti(volume, Int16Array.from(volume.data, (v, n) => (brain[n] ? v : 0))) };
    }),
  );
}

/**
 * How a scanner would describe each series: names and timings from which the DICOM series
 * assignment (core/dicom/assignSeries.ts) gives T1, T1Gd, T2 and FLAIR, the T1Gd by its
 * ContrastBolusAgent.
 */
const ACQUISITION: Record<Modality, { seriesNumber: number; description: string; tags: SeriesSpec['tags'] }> = {
  t1: { seriesNumber: 3, description: 't1_se_tra', tags: { MRAcquisitionType: '2D', RepetitionTime: 600, EchoTime: 12 } },
  t2: { seriesNumber: 4, description: 't2_tse_tra', tags: { MRAcquisitionType: '2D', RepetitionTime: 5000, EchoTime: 95 } },
  flair: { seriesNumber: 5, description: 't2_tirm_tra_dark-fluid', tags: { MRAcquisitionType: '2D', RepetitionTime: 9000, EchoTime: 81, InversionTime: 2500 } },
  t1ce: { seriesNumber: 6, description: 't1_se_tra', tags: { MRAcquisitionType: '2D', RepetitionTime: 600, EchoTime: 12, ContrastBolusAgent: 'Gadovist' } },
};

/** A three-slice localiser, as every study starts with (listed and skipped by the app). */
export const PHANTOM_LOCALISER: SeriesSpec = { seriesNumber: 1, description: 'localizer', dims: [32, 32, 3], spacing: [8, 8, 8], tags: { ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] } };

/**
 * The four series as DICOM series specs (`writeDicomSeries`): each on its own oblique grid
 * (ImageOrientationPatient, ImagePositionPatient, PixelSpacing, slice spacing from the grid's
 * affine) with the phantom's voxels, so dcm2niix converts each back to its grid.
 */
export async function rawPhantomDicomSeries(study: RawPhantomStudy): Promise<Record<Modality, SeriesSpec>> {
  const out = {} as Record<Modality, SeriesSpec>;
  for (const file of study.files) {
    const m = modalityOf(file.name);
    const volume = await readNifti(file.bytes, file.name);
    const grid = study.grids[m];
    out[m] = { ...ACQUISITION[m], ...dicomGeometryOfGrid(grid.dims, grid.affine), voxels: Int16Array.from(volume.data) };
  }
  return out;
}

function modalityOf(name: string): Modality {
  const m = /^phantom_(t1ce|t1|t2|flair)\.nii\.gz$/.exec(name)?.[1];
  if (!m) throw new Error(`not a phantom series: ${name}`);
  return m as Modality;
}
