import type { StateCreator } from 'zustand';
import type { InputFile, InputIssue, RefusedFile } from '../core/index.ts';
import { studyCaseInputs, type NamedBytes, type SeriesDecision, type SeriesInfo } from '../core/dicom/index.ts';
import { DicomWorkerClient } from '../worker/dicomClient.ts';
import type { AttuneState } from './store.ts';

/** One converted series as the study panel lists it (no voxels: those went to the assignment table). */
export interface DicomSeriesRow {
  niftiName: string;
  info: SeriesInfo;
  decision: SeriesDecision;
}

/** The dropped DICOM study: converting, or its series and the problems found. */
export interface DicomStudyState {
  status: 'converting' | 'done' | 'failed';
  /** DICOM files handed to the converter. */
  fileCount: number;
  series: DicomSeriesRow[];
  issues: InputIssue[];
  /** The conversion itself failed (a crash, not bad input). */
  error: string | null;
  /** Ids of the assignment-table rows this study produced: the panel shows while they are the case. */
  fileIds: string[];
}

/**
 * DICOM in (issue 21): a drop with DICOM files is converted in the DICOM worker; every
 * series is listed here with its role or the reason it is skipped, and the usable ones go
 * into the ordinary assignment table (`loadFiles`) with their roles, for the user to confirm
 * or fix. A slice of its own so the main store does not grow.
 */
export interface DicomSlice {
  dicom: DicomStudyState | null;
  /** Converts the study, then loads its usable series (and any NIfTI dropped with it) as a new case. */
  loadDicom(files: NamedBytes[], options: { notDicom: NamedBytes[]; inputs: (InputFile | RefusedFile)[] }): Promise<void>;
  dismissDicom(): void;
}

let client: DicomWorkerClient | null = null;
let token = 0;

export const createDicomSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], DicomSlice> = (set, get) => ({
  dicom: null,

  async loadDicom(files, { notDicom, inputs }) {
    if (get().run.status === 'running') {
      // The same refusal as any drop during a run (loadFiles words it), nothing converted.
      await get().loadFiles(files.map((f) => ({ name: f.name, bytes: f.bytes })));
      return;
    }
    const mine = ++token;
    set({ dicom: { status: 'converting', fileCount: files.length, series: [], issues: [], error: null, fileIds: [] }, reading: true, preparing: `Converting ${files.length} DICOM files…`, failures: [] });
    try {
      client ??= new DicomWorkerClient();
      const study = await client.convert([...files, ...notDicom]);
      if (mine !== token) return;
      const series = study.series.map((s) => ({ niftiName: s.niftiName, info: s.info, decision: s.decision }));
      set({ dicom: { status: 'done', fileCount: study.dicomFiles, series, issues: study.issues, error: null, fileIds: [] }, preparing: null });
      await get().loadFiles([...inputs, ...studyCaseInputs(study)]);
      if (mine !== token) return;
      const d = get().dicom;
      if (d) set({ dicom: { ...d, fileIds: get().files.map((f) => f.id) } });
    } catch (err) {
      if (mine !== token) return;
      const message = `The DICOM files could not be converted: ${(err as Error).message}`;
      set({ dicom: { status: 'failed', fileCount: files.length, series: [], issues: [], error: message, fileIds: [] }, reading: false, preparing: null });
    }
  },

  dismissDicom() {
    token++;
    if (get().dicom) set({ dicom: null });
  },
});
