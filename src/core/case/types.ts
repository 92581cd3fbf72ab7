import type { InputIssue } from '../inputIssue.ts';
import type { LabelConvention } from '../labels/index.ts';
import type { FileRole, Modality } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';

/** A file as the user dropped it. `bytes` is only read, never changed or kept. */
export interface InputFile {
  name: string;
  bytes: Uint8Array | ArrayBuffer;
  /**
   * The file's size as the user has it, when `bytes` are not the file as stored (a `.nii.gz`
   * that a server sent with `Content-Encoding: gzip` arrives inflated). Default: bytes' length.
   */
  sizeBytes?: number;
  /**
   * A role decided elsewhere than from the name (a DICOM series' sidecar, src/core/dicom),
   * with the reason the table shows; null = listed but not used. Absent: guessed from the name.
   */
  role?: FileRole | null;
  roleReason?: string;
}

/**
 * A file refused before it was read (e.g. too large to load at all, judged by its size):
 * it still gets its row and its message.
 */
export interface RefusedFile {
  name: string;
  sizeBytes: number;
  issue: InputIssue;
}

/** One dropped file after reading: its volume or why it could not be read, and its role. */
export interface CaseFile {
  id: string;
  name: string;
  sizeBytes: number;
  /** The role guessed from the name (kept so the table can show "auto"). */
  detectedRole: FileRole | null;
  /** The role in use: the guess, or what the user chose; null = not used. */
  role: FileRole | null;
  /** Why `detectedRole` when it was not guessed from the name (a DICOM series' fields). */
  roleReason?: string;
  volume: NiftiVolume | null;
  readIssue: InputIssue | null;
}

/** A complete, consistent case: four scans on one grid and optionally an expert label map. */
export interface MriCase {
  modalities: Record<Modality, NiftiVolume>;
  /**
   * The expert label map in internal values (BraTS 2021: 1 NCR, 2 ED, 4 ET, uint8) on the
   * file's grid and header, whatever convention the file used.
   */
  label: NiftiVolume | null;
  /**
   * The convention the label file was written in; null without a label map, or when it has
   * no ET voxel (it then reads the same in both).
   */
  labelConvention: LabelConvention | null;
}

export interface CaseCheck {
  /** Errors first, then warnings. */
  issues: InputIssue[];
  /** Set only when no issue is an error. */
  mriCase: MriCase | null;
}
