import { readdir, stat } from 'node:fs/promises';
import { loadCase, type CaseCheck, type CaseFile } from '../core/case/index.ts';
import { studyCaseInputs } from '../core/dicom/index.ts';
import { readCaseFolder, readInputFile } from '../node/readCaseFolder.ts';
import { readDicomStudy } from '../node/readDicomStudy.ts';
import { formatSeriesTable } from './dicomTable.ts';

const NIFTI = /\.nii(\.gz)?$/i;

/**
 * The scan `segment` was given: NIfTI files or a folder of them (as before), or — when no
 * NIfTI is there — DICOM files or a folder of them, converted and assigned the way the app
 * does (the table is logged). DICOM problems come first in the issues.
 */
export async function loadScan(inputs: string[], log: (s: string) => void): Promise<{ files: CaseFile[]; check: CaseCheck }> {
  const folder = inputs.length === 1 && (await stat(inputs[0])).isDirectory() ? inputs[0] : null;
  const niftiGiven = folder ? (await readdir(folder)).some((n) => NIFTI.test(n)) : inputs.some((p) => NIFTI.test(p));
  if (!niftiGiven) {
    const study = await readDicomStudy(inputs);
    if (study) {
      log(`DICOM: ${study.dicomFiles} files → ${study.series.length} series`);
      if (study.series.length > 0) log(formatSeriesTable(study));
      const loaded = await loadCase(studyCaseInputs(study));
      return { files: loaded.files, check: { ...loaded.check, issues: [...study.issues, ...loaded.check.issues] } };
    }
  }
  return folder ? readCaseFolder(folder) : loadCase(await Promise.all(inputs.map(readInputFile)));
}
