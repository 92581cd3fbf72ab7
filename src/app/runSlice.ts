import type { StateCreator } from 'zustand';
import type { LabelVolume, MriCase } from '../core/index.ts';
import type { DiceKey } from '../core/metrics/dice.ts';
import { DEFAULT_SETTINGS, type AdaptationReport } from '../core/tta/index.ts';
import type { RunProgress } from '../worker/client.ts';
import type { AutoResultMessage, BackendName, SignalResult } from '../worker/protocol.ts';
import { afterLossNotice, WorkerLost } from '../worker/workerDeath.ts';
import { summariseMask } from './maskSummary.ts';
import type { RunMode } from './settingsSlice.ts';
import type { AttuneState } from './store.ts';
import type { MaskSource } from './viewSlice.ts';

export interface RunState {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'failed';
  /** Modes of the current/last run, in order (empty: baseline only). */
  modes: RunMode[];
  progress: RunProgress | null;
  /** Loss per iteration as it streams in, per mode. */
  live: Partial<Record<RunMode, number[]>>;
  cancelling: boolean;
  error: string | null;
  /** The run failed because its worker died (the error says so; a fresh worker was started). */
  workerLost: boolean;
  /** What the worker said about this run: reduced settings for memory, a fallback to wasm. */
  notices: string[];
}

export interface ModeOutcome {
  mode: RunMode;
  /** auto: the kept candidate's adaptation, or (baseline kept) the baseline's own report. */
  report: AdaptationReport;
  /** auto: what it decided and why. */
  decision?: AutoResultMessage['decision'];
  /** auto: every candidate it adapted with (loss curve, time), kept or not. */
  candidateRuns?: AutoResultMessage['candidateRuns'];
  labels: Uint8Array;
  segmentSeconds: number;
}

/** Volumes (and Dice against the expert label, when there is one) of one mask. */
export interface MaskSummary {
  source: MaskSource;
  volumes: LabelVolume[];
  dice: Record<DiceKey, number | null> | null;
}

export interface RunResults {
  /** The case these masks belong to (results are dropped when the case changes). */
  mriCase: MriCase;
  backend: BackendName;
  baseline: Uint8Array;
  baselineSeconds: number;
  modes: ModeOutcome[];
  summaries: MaskSummary[];
  /** The baseline's evidence and the decision signal's reading against the training scans. */
  signals: SignalResult;
}

/**
 * A run in the worker and what it produced: progress and live loss curves while it runs,
 * then the masks with their summaries. The handle of the run in flight is this slice's
 * alone; the case slice lets go of a run through `releaseRun` when the case changes.
 */
export interface RunSlice {
  run: RunState;
  results: RunResults | null;
  /** Baseline + one adaptation per mode, in the worker. */
  startRun(modes: RunMode[]): void;
  cancelRun(): void;
  /** Whether a run's result is still awaited (it may be cancelling). */
  runInFlight(): boolean;
  /**
   * Cancels the run in flight (if any) and returns the state that forgets the run and its
   * masks, for the caller to set together with the change that made them stale.
   */
  releaseRun(): Pick<RunSlice, 'run' | 'results'>;
}

const IDLE_RUN: RunState = { status: 'idle', modes: [], progress: null, live: {}, cancelling: false, error: null, workerLost: false, notices: [] };

/** auto's outcome as a mode: its kept mask, the decision, and the adaptation when it ran (else the baseline's empty report). */
function autoOutcome(a: AutoResultMessage, signals: SignalResult): ModeOutcome {
  const report: AdaptationReport = a.report ?? { mode: 'none', settings: DEFAULT_SETTINGS.none, lossCurve: [], chosenIteration: 0, shiftScore: signals.evidence.shiftScore ?? NaN, seconds: 0 };
  return { mode: 'auto', report, labels: a.labels, segmentSeconds: a.seconds, decision: a.decision, candidateRuns: a.candidateRuns };
}

function summarise(mriCase: MriCase, baseline: Uint8Array, modes: ModeOutcome[]): MaskSummary[] {
  return [summariseMask(mriCase, 'baseline', baseline), ...modes.map((m) => summariseMask(mriCase, m.mode, m.labels))];
}

export const createRunSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], RunSlice> = (set, get) => {
  let activeRun: { runId: number; cancel: () => void } | null = null;
  return {
    run: IDLE_RUN,
    results: null,

    runInFlight: () => activeRun !== null,

    releaseRun() {
      activeRun?.cancel();
      activeRun = null;
      return { run: IDLE_RUN, results: null };
    },

    startRun(requested) {
      const mriCase = get().check.mriCase;
      const client = get().workerClient();
      if (!mriCase || !client || get().engine.status !== 'ready' || get().run.status === 'running') return;
      // The worker runs auto after the other modes: the same order here, for the progress bar.
      const adaptModes = requested.filter((m): m is Exclude<RunMode, 'auto' | 'none'> => m !== 'auto' && m !== 'none');
      const modes: RunMode[] = [...adaptModes, ...(requested.includes('auto') ? (['auto'] as const) : [])];
      const settings = adaptModes.map((m) => get().settings[m]);
      const handle = client.run(mriCase, settings, {
        auto: requested.includes('auto'),
        postprocess: get().postprocess,
        onNotice: (message) => {
          // A run redone after a fallback repeats its memory notices: show each once.
          if (activeRun?.runId !== handle.runId || get().run.notices.includes(message)) return;
          set({ run: { ...get().run, notices: [...get().run.notices, message] } });
        },
        onProgress: (p) => {
          if (activeRun?.runId !== handle.runId) return;
          const run = get().run;
          let live = run.live;
          if (p.stage === 'adapt' && p.mode && p.iteration !== undefined && p.loss !== undefined) {
            // auto adapts with one candidate after another: each starts its curve afresh.
            const curve = p.iteration === 0 ? [] : [...(live[p.mode as RunMode] ?? [])];
            curve[p.iteration] = p.loss;
            live = { ...live, [p.mode]: curve };
          }
          set({ run: { ...run, progress: p, live } });
        },
      });
      activeRun = handle;
      // Kept aside while the run replaces them: a run whose worker dies gives them back.
      const resultsBefore = get().results;
      set({ run: { ...IDLE_RUN, status: 'running', modes }, results: null });
      handle.result.then(
        (r) => {
          if (activeRun?.runId !== handle.runId) return; // superseded (case changed)
          activeRun = null;
          if (!r) {
            set({ run: { ...get().run, status: 'cancelled', cancelling: false, progress: null } });
            return;
          }
          const outcomes: ModeOutcome[] = r.results.map((m) => ({ mode: m.report.mode, report: m.report, labels: m.labels, segmentSeconds: m.segmentSeconds }));
          if (r.auto) outcomes.unshift(autoOutcome(r.auto, r.signals));
          const view = get().view;
          const modeSources = outcomes.map((o) => o.mode);
          set({
            run: { ...get().run, status: 'done', progress: null, cancelling: false },
            results: {
              mriCase,
              backend: r.backend,
              baseline: r.baseline,
              baselineSeconds: r.baselineSeconds,
              modes: outcomes,
              summaries: summarise(mriCase, r.baseline, outcomes),
              signals: r.signals,
            },
            // Before/after by default: baseline left, the (first) adapted mask right.
            view: {
              ...view,
              left: 'baseline',
              right: modeSources.includes(view.right as RunMode) ? view.right : (modeSources[0] ?? 'baseline'),
            },
          });
        },
        (e: Error) => {
          if (activeRun?.runId !== handle.runId) return;
          activeRun = null;
          if (e instanceof WorkerLost) {
            const message = afterLossNotice(e, 'run', get().workerClient() ? 'wasm' : null);
            set({ run: { ...get().run, status: 'failed', progress: null, cancelling: false, error: message, workerLost: true }, results: resultsBefore });
            return;
          }
          set({ run: { ...get().run, status: 'failed', progress: null, cancelling: false, error: e.message } });
        },
      );
    },

    cancelRun() {
      if (!activeRun || get().run.status !== 'running') return;
      activeRun.cancel();
      set({ run: { ...get().run, cancelling: true } });
    },
  };
};
