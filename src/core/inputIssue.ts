/**
 * Problems with what a user dropped. Every refusal carries a stable `code` (tests and
 * the UI key on it) and a message written for the person who dropped the files: it
 * names the file(s) and says what is wrong and, where possible, how to fix it.
 */
export type InputIssueCode =
  | 'not-nifti'
  | 'corrupt-gzip'
  | 'truncated'
  | 'unsupported-datatype'
  | 'not-3d'
  | 'unrecognised-name'
  | 'missing-modality'
  | 'duplicate-role'
  | 'dims-mismatch'
  | 'spacing-mismatch'
  | 'affine-mismatch'
  | 'non-finite'
  | 'all-zero'
  | 'constant-volume'
  | 'empty-brain-mask'
  | 'label-values'
  | 'too-large'
  | 'not-1mm-grid'
  | 'not-skull-stripped'
  | 'oblique-grid'
  | 'run-in-progress'
  | 'registration-failed'
  | 'poor-registration'
  | 'implausible-brain-mask'
  | 'study-too-large'
  // DICOM in (src/core/dicom): what is wrong with a dropped study, before or after dcm2niix.
  | 'not-dicom'
  | 'dicom-compressed'
  | 'dicom-no-series'
  | 'dicom-conversion-errors'
  | 'dicom-localiser-only'
  | 'dicom-not-brain'
  | 'dicom-no-structural';

export interface InputIssue {
  code: InputIssueCode;
  message: string;
  /** Names of the files the issue is about (may be empty for case-level issues). */
  files: string[];
  /**
   * 'error' blocks the case; 'warning' is shown but the case can still be used
   * (e.g. a file whose modality could not be guessed but that is not needed).
   */
  severity: 'error' | 'warning';
}

/** Thrown by pure readers (e.g. readNifti) so callers can turn it into an InputIssue. */
export class InputError extends Error {
  readonly code: InputIssueCode;
  readonly files: string[];

  constructor(code: InputIssueCode, message: string, files: string[] = []) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.files = files;
  }

  toIssue(): InputIssue {
    return { code: this.code, message: this.message, files: this.files, severity: 'error' };
  }
}
