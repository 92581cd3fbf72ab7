import type { StateCreator } from 'zustand';
import {
  labelVolumesOf,
  droppedDuringRun,
  readCaseFiles,
  validateCase,
  type CaseCheck,
  type CaseFile,
  type FileRole,
  type InputFile,
  type LabelVolume,
  type RefusedFile,
} from '../core/index.ts';
import { fetchDemoCase, OTHER_SCANNER } from './demoCase.ts';
import type { AttuneState } from './store.ts';

/**
 * The case being assembled: the dropped files and their roles, core's check of them, the
 * label map's volumes, and what to tell the user about the drop. Any change to the files
 * makes a run on the old case stale: it is released (runSlice.ts) in the same update.
 */
export interface CaseSlice {
  files: CaseFile[];
  check: CaseCheck;
  /** mL per label of the current label map (null: no label file in the case). */
  labelStats: LabelVolume[] | null;
  reading: boolean;
  /** Things worth telling the user that are not problems with the case (skipped files …). */
  notices: string[];
  /** Unexpected failures (a bug or a browser refusal), shown in the issue panel too. */
  failures: string[];
  /** What is being prepared (e.g. the simulated scanner), for the status line. */
  preparing: string | null;
  /**
   * Reads files; replaces the current case unless `append`. A new case forgets a raw study
   * being prepared or reviewed, unless `keepRawStudy` (its own atlas-grid files, on Accept).
   */
  loadFiles(inputs: (InputFile | RefusedFile)[], options?: { append?: boolean; skipped?: string[]; keepRawStudy?: boolean }): Promise<void>;
  /**
   * Fetches the bundled real demo case (same origin) and loads it like a drop; 'other-scanner'
   * first passes its scans through the shift simulator (in the worker).
   */
  loadDemoCase(variant?: 'original' | 'other-scanner'): Promise<void>;
  assignRole(fileId: string, role: FileRole | null): void;
  removeFile(fileId: string): void;
  clear(): void;
}

const EMPTY_CHECK: CaseCheck = { issues: [], mriCase: null };

/** Recomputes everything that follows from the file list. */
function derive(files: CaseFile[]): Pick<CaseSlice, 'files' | 'check' | 'labelStats'> {
  if (files.length === 0) return { files, check: EMPTY_CHECK, labelStats: null };
  const check = validateCase(files);
  const label = check.mriCase?.label ?? null;
  return { files, check, labelStats: label ? labelVolumesOf(label) : null };
}

export const createCaseSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], CaseSlice> = (set, get) => {
  /** Which drop is the latest: a slower read of an earlier drop is discarded. */
  let batch = 0;
  return {
    files: [],
    check: EMPTY_CHECK,
    labelStats: null,
    reading: false,
    notices: [],
    failures: [],
    preparing: null,

    async loadFiles(inputs, options = {}) {
      if (get().run.status === 'running') {
        // Never cancel a run by a stray drop: refuse the files, keep the case and the run.
        set({ reading: false, preparing: null, failures: [droppedDuringRun(inputs.map((f) => f.name)).message] });
        return;
      }
      const token = ++batch;
      set({ reading: true, failures: [] });
      try {
        const read = await readCaseFiles(inputs, `b${token}-`);
        if (token !== batch) return; // a newer drop superseded this one
        const files = options.append ? [...get().files, ...read] : read;
        const skipped = options.skipped ?? [];
        const notices = skipped.length > 0 ? [`Skipped ${skipped.length} file(s) that are not .nii/.nii.gz: ${skipped.join(', ')}`] : [];
        set({
          ...derive(files),
          ...get().releaseRun(),
          ...(options.keepRawStudy ? {} : get().releaseRawStudy()),
          reading: false,
          notices: options.append ? [...get().notices, ...notices] : notices,
        });
      } catch (err) {
        if (token !== batch) return;
        set({ reading: false, failures: [`Could not read the dropped files: ${(err as Error).message}`] });
      }
    },

    async loadDemoCase(variant = 'original') {
      set({ reading: true, failures: [] });
      try {
        let files = await fetchDemoCase();
        if (variant === 'other-scanner') {
          const client = get().workerClient();
          if (!client) throw new Error('the worker is not running');
          set({ preparing: 'Simulating another scanner…' });
          files = await client.shift(files, OTHER_SCANNER);
        }
        set({ preparing: null });
        await get().loadFiles(files);
      } catch (err) {
        set({ reading: false, preparing: null, failures: [`Could not load the demo case: ${(err as Error).message}`] });
      }
    },

    assignRole(fileId, role) {
      set({ ...derive(get().files.map((f) => (f.id === fileId ? { ...f, role } : f))), ...get().releaseRun(), ...get().releaseRawStudy() });
    },

    removeFile(fileId) {
      set({ ...derive(get().files.filter((f) => f.id !== fileId)), ...get().releaseRun(), ...get().releaseRawStudy() });
    },

    clear() {
      batch++;
      set({ ...derive([]), ...get().releaseRun(), ...get().releaseRawStudy(), notices: [], failures: [], reading: false });
    },
  };
};
