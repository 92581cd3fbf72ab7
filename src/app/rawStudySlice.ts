import type { StateCreator } from 'zustand';
import type { CaseFile } from '../core/index.ts';
import { atlasCaseFiles, needsRawPipeline, studyFromFiles, studyQc, type StudyQc } from '../core/rawStudy/index.ts';
import { caseStem } from '../core/results/index.ts';
import { isAlreadyStripped } from '../core/skullStrip/index.ts';
import type { BackendName } from '../worker/protocol.ts';
import { RawStudyCancelled, RawStudyWorkerClient } from '../worker/rawStudyClient.ts';
import type { RawStudyResult } from '../worker/rawStudyProtocol.ts';
import { engineOptionsFromUrl } from './engine.ts';
import type { AttuneState } from './store.ts';

/**
 * idle: nothing prepared (the Checks panel offers it when the drop is a raw study) ·
 * preparing: in the raw-study worker (step, strip progress) · review: the QC screen ·
 * accepted: the atlas-grid case is the case · failed: why (the offer stays).
 */
export type RawStudyStatus = 'idle' | 'preparing' | 'review' | 'accepted' | 'failed';

export interface RawStudyState {
  status: RawStudyStatus;
  /** The step running now (prepareRawStudy's names). */
  step: string | null;
  /** Steps started so far, in order, with when (ms since the start). */
  steps: { step: string; atMs: number }[];
  /** Skull strip chunks done of all, while it runs. */
  strip: { done: number; total: number } | null;
  backend: BackendName | null;
  backendReason: string;
  /** The prepared study (review and accepted). */
  result: RawStudyResult | null;
  qc: StudyQc | null;
  error: string | null;
  /**
   * The files as dropped, never modified: the T1Gd's header is what the native mask is
   * written with; kept while the atlas-grid case replaces them in the table.
   */
  source: CaseFile[];
  /** Stem of the atlas-grid files (`<stem>_t1.nii.gz` …) and of exported masks. */
  stem: string;
}

/**
 * A raw study (issue 21): when a drop's checks fail only with raw-study refusals
 * (`needsRawPipeline`), it can be prepared in the raw-study worker — skull strip, register
 * to the SRI24 atlas, resample — then checked on the QC screen, and on Accept the four
 * series on the atlas grid become the case the model runs on (through `loadFiles`, the same
 * path as any drop). The dropped files are kept unchanged in `source`.
 */
export interface RawStudySlice {
  rawStudy: RawStudyState;
  /** Starts (or, from review or failed, redoes) the preparation of the current drop. */
  prepareRawStudy(): void;
  /** preparing: terminates the worker; review / failed: discards the result. Back to the Checks. */
  cancelRawStudy(): void;
  /** review, with nothing blocking: the atlas-grid case becomes the case. */
  acceptRawStudy(): Promise<void>;
  /** Forgets the raw study (cancelling one in flight), for a change of case to set with its own state. */
  releaseRawStudy(): Pick<RawStudySlice, 'rawStudy'>;
}

const IDLE: RawStudyState = { status: 'idle', step: null, steps: [], strip: null, backend: null, backendReason: '', result: null, qc: null, error: null, source: [], stem: '' };

export const createRawStudySlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], RawStudySlice> = (set, get) => {
  let client: RawStudyWorkerClient | null = null;
  let active: { cancel: () => void } | null = null;
  /** Which preparation is current: a superseded one's events are dropped. */
  let token = 0;
  const patch = (mine: number, p: Partial<RawStudyState>) => {
    if (mine === token) set({ rawStudy: { ...get().rawStudy, ...p } });
  };
  const stop = () => {
    token++;
    active?.cancel();
    active = null;
  };

  return {
    rawStudy: IDLE,

    prepareRawStudy() {
      const current = get().rawStudy;
      if (current.status === 'preparing' || current.status === 'accepted') return;
      // Redo works on the files as dropped; a first run on what the table holds now.
      const source = current.source.length > 0 ? current.source : get().files;
      if (current.source.length === 0 && !needsRawPipeline(get().check.issues, get().files)) return;
      stop();
      const mine = token;
      const stem = caseStem(source.map((f) => f.name));
      let study;
      try {
        study = studyFromFiles(source);
      } catch (e) {
        set({ rawStudy: { ...IDLE, status: 'failed', error: (e as Error).message, source, stem } });
        return;
      }
      const t0 = performance.now();
      set({ rawStudy: { ...IDLE, status: 'preparing', source, stem, step: 'starting the worker' } });
      client ??= new RawStudyWorkerClient();
      // As the CLI decides it: a T1Gd that is 0 on its faces and brain-sized is stripped already (no MindGrab).
      const t1ce = source.find((f) => f.role === 't1ce')?.volume;
      const engine = engineOptionsFromUrl(window.location.href);
      const run = client.prepare(study, {
        backend: engine.backend,
        gpuFault: engine.gpuFault,
        alreadyStripped: t1ce ? isAlreadyStripped(t1ce) : false,
        onBackend: (backend, backendReason) => patch(mine, { backend, backendReason }),
        onStep: (step) => patch(mine, { step, strip: null, steps: [...get().rawStudy.steps, { step, atMs: performance.now() - t0 }] }),
        onStripProgress: (done, total) => patch(mine, { strip: { done, total } }),
      });
      active = run;
      run.result.then(
        (result) => {
          if (mine !== token) return;
          active = null;
          patch(mine, { status: 'review', step: null, strip: null, result, qc: studyQc(result.prepared), backend: result.backend });
        },
        (e: Error) => {
          if (mine !== token || e instanceof RawStudyCancelled) return;
          active = null;
          patch(mine, { status: 'failed', step: null, strip: null, error: e.message });
        },
      );
    },

    cancelRawStudy() {
      const { status } = get().rawStudy;
      if (status === 'idle' || status === 'accepted') return;
      stop();
      // Back to the Checks with the drop as it was (its raw-study refusals and the offer).
      set({ rawStudy: IDLE });
    },

    async acceptRawStudy() {
      const raw = get().rawStudy;
      if (raw.status !== 'review' || !raw.result || !raw.qc || raw.qc.blockers.length > 0) return;
      const files = atlasCaseFiles(raw.result.prepared, raw.stem);
      set({ rawStudy: { ...raw, status: 'accepted' } });
      await get().loadFiles(files, { keepRawStudy: true });
    },

    releaseRawStudy() {
      stop();
      return { rawStudy: IDLE };
    },
  };
};
