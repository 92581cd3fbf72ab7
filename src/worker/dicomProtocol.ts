import type { DicomStudy, NamedBytes } from '../core/dicom/index.ts';

/** Main thread → DICOM worker: convert one dropped study. */
export interface DicomRequest {
  type: 'convert';
  id: number;
  files: NamedBytes[];
}

/** DICOM worker → main thread: the study, or why the conversion itself failed (a bug, not bad input). */
export type DicomEvent = { type: 'converted'; id: number; study: DicomStudy } | { type: 'convert-error'; id: number; message: string };
