import type { InputIssue } from '../inputIssue.ts';
import type { Modality } from '../modality/index.ts';
import type { SidecarFields } from './sidecar.ts';

/** A file handed to dcm2niix or returned by it: a path-like name and its bytes. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/**
 * What runs dcm2niix: the browser's worker and Node's wasm loader implement it the same way
 * (`runDcm2niixModule`), so the app, the CLI and the tests convert through one code path.
 */
export interface DicomConverter {
  /** dcm2niix over these files (one flat folder); every file it wrote, and what it printed. */
  convert(files: NamedBytes[]): Promise<Dcm2niixOutput>;
}

export interface Dcm2niixOutput {
  exitCode: number;
  files: NamedBytes[];
  /** stdout and stderr lines, in order (stderr lines start with "E: "). */
  log: string[];
}

/**
 * The facts of one converted series that its role is decided from: the sidecar's fields
 * (`SidecarFields`: series number, description, protocol, sequence, DICOM Modality, ImageType,
 * MRAcquisitionType, TR/TE/TI in ms, BodyPartExamined), what only the DICOM files carry, and
 * the NIfTI header's grid.
 */
export interface SeriesInfo extends SidecarFields {
  /** dcm2niix's output base name; unique within a study. */
  id: string;
  /** (0018,0010) from the DICOM files (dcm2niix's sidecar does not carry it). */
  contrastAgent: string | null;
  /** Voxels per axis, a 4th entry when the series has several volumes. */
  dims: number[];
  spacingMm: [number, number, number];
  /** From the .bval file dcm2niix wrote (diffusion), else null. */
  bValues: number[] | null;
}

/** Why a series is listed but not offered as one of the four scans. */
export type SkipKind = 'not-mr' | 'not-brain' | 'localiser' | 'diffusion' | 'derived' | 'time-series' | 'other-contrast';

/** The decision for one series: a role, a skip, or neither (not recognised: the user may assign it). */
export interface SeriesDecision {
  seriesId: string;
  role: Modality | null;
  skip: SkipKind | null;
  /** One sentence naming the fields that decided, e.g. "ContrastBolusAgent 'Gadovist' on a T1 (t1_mprage)". */
  reason: string;
}

/** One series as dcm2niix converted it, with its sidecar and the decision about it. */
export interface ConvertedSeries {
  info: SeriesInfo;
  decision: SeriesDecision;
  /** A readable file name for the table and for `attune convert` (`<number>_<description>.nii`). */
  niftiName: string;
  nifti: Uint8Array;
  /** The JSON sidecar exactly as dcm2niix wrote it. */
  sidecar: string;
  /** Other files dcm2niix wrote for it (.bval, .bvec), by extension. */
  extras: NamedBytes[];
}

/** A converted study: every series, what was not converted and why, and dcm2niix's log. */
export interface DicomStudy {
  series: ConvertedSeries[];
  /** DICOM-level problems: non-DICOM files, unreadable compression, non-brain, localiser only … */
  issues: InputIssue[];
  /** How many of the given files were DICOM and handed to dcm2niix. */
  dicomFiles: number;
  log: string[];
}
