import { create } from 'zustand';
import {
  labelVolumesOf,
  readCaseFiles,
  validateCase,
  type CaseCheck,
  type CaseFile,
  type FileRole,
  type InputFile,
  type LabelVolume,
  type Modality,
} from '../core/index.ts';

/**
 * The app's one store. It holds what the user dropped (as read by core), the current
 * role of each file, and view settings; every rule about files lives in core, and this
 * store only calls it (validateCase after each change) and keeps the result.
 */
export interface AttuneState {
  files: CaseFile[];
  check: CaseCheck;
  /** mL per label of the current label map (null: no label file in the case). */
  labelStats: LabelVolume[] | null;
  reading: boolean;
  /** Things worth telling the user that are not problems with the case (skipped files …). */
  notices: string[];
  /** Unexpected failures (a bug or a browser refusal), shown in the issue panel too. */
  failures: string[];
  viewModality: Modality;
  showLabels: boolean;

  /** Reads files; replaces the current case unless `append`. */
  loadFiles(inputs: InputFile[], options?: { append?: boolean; skipped?: string[] }): Promise<void>;
  assignRole(fileId: string, role: FileRole | null): void;
  removeFile(fileId: string): void;
  clear(): void;
  setViewModality(modality: Modality): void;
  setShowLabels(show: boolean): void;
}

const EMPTY_CHECK: CaseCheck = { issues: [], mriCase: null };

/** Recomputes everything that follows from the file list. */
function derive(files: CaseFile[]): Pick<AttuneState, 'files' | 'check' | 'labelStats'> {
  if (files.length === 0) return { files, check: EMPTY_CHECK, labelStats: null };
  const check = validateCase(files);
  const label = check.mriCase?.label ?? null;
  return { files, check, labelStats: label ? labelVolumesOf(label) : null };
}

let batch = 0;

export const useAttune = create<AttuneState>()((set, get) => ({
  files: [],
  check: EMPTY_CHECK,
  labelStats: null,
  reading: false,
  notices: [],
  failures: [],
  viewModality: 't1ce',
  showLabels: true,

  async loadFiles(inputs, options = {}) {
    const token = ++batch;
    set({ reading: true, failures: [] });
    try {
      const read = await readCaseFiles(inputs, `b${token}-`);
      if (token !== batch) return; // a newer drop superseded this one
      const files = options.append ? [...get().files, ...read] : read;
      const skipped = options.skipped ?? [];
      const notices = skipped.length > 0 ? [`Skipped ${skipped.length} file(s) that are not .nii/.nii.gz: ${skipped.join(', ')}`] : [];
      set({ ...derive(files), reading: false, notices: options.append ? [...get().notices, ...notices] : notices });
    } catch (err) {
      if (token !== batch) return;
      set({ reading: false, failures: [`Could not read the dropped files: ${(err as Error).message}`] });
    }
  },

  assignRole(fileId, role) {
    set(derive(get().files.map((f) => (f.id === fileId ? { ...f, role } : f))));
  },

  removeFile(fileId) {
    set(derive(get().files.filter((f) => f.id !== fileId)));
  },

  clear() {
    batch++;
    set({ ...derive([]), notices: [], failures: [], reading: false });
  },

  setViewModality(viewModality) {
    set({ viewModality });
  },

  setShowLabels(showLabels) {
    set({ showLabels });
  },
}));
