import { create } from 'zustand';
import { persist } from 'zustand/middleware';
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
  type Modality,
  type MriCase,
} from '../core/index.ts';
import type { ExportLabelsChoice } from '../core/labels/index.ts';
import type { DiceKey } from '../core/metrics/dice.ts';
import { ADAPT_MODES, DEFAULT_SETTINGS, isGradientMode, type AdaptMode, type AdaptSettings } from '../core/tta/index.ts';
import type { AdaptationReport } from '../core/tta/index.ts';
import type { RunProgress } from '../worker/client.ts';
import type { AutoResultMessage, BackendName, CalibrationStatus, SignalResult } from '../worker/protocol.ts';
import { afterLossNotice, WorkerLost } from '../worker/workerDeath.ts';
import { fetchDemoCase, OTHER_SCANNER } from './demoCase.ts';
import type { EngineOptions } from './engine.ts';
import { WorkerKeeper } from './workerKeeper.ts';
import { createEditSlice, type EditSlice } from './editSlice.ts';
import { summariseMask } from './maskSummary.ts';
import { createDisplaySlice, type DisplaySlice } from './displaySlice.ts';
import { createDicomSlice, type DicomSlice } from './dicomSlice.ts';

/** Modes a user can run after the baseline ('none' = baseline only; 'auto' = adapt only when the evidence says so). */
export type RunMode = AdaptMode | 'auto';
/** What a viewer pane can show over the scan ('edited': the hand-corrected mask, editSlice.ts). */
export type MaskSource = 'label' | 'baseline' | 'edited' | RunMode;

export interface EngineState {
  status: 'off' | 'starting' | 'ready' | 'failed';
  backend: BackendName | null;
  /** Why this backend (e.g. why WebGPU was not used). */
  reason: string;
  modelLabel: string;
  error: string | null;
  notices: string[];
  /** Whether the model's calibration was loaded (the signal reading and `auto` need it). */
  calibration: CalibrationStatus | null;
}

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
  /** auto: the adaptation it ran, or (no adaptation) the baseline's own report. */
  report: AdaptationReport;
  /** auto: what it decided and why. */
  decision?: AutoResultMessage['decision'];
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

export interface ViewState {
  left: MaskSource;
  right: MaskSource;
  /** Right pane shows changed voxels relative to the left pane instead of its mask. */
  showChanges: boolean;
}

export interface AttuneState extends EditSlice, DisplaySlice, DicomSlice {
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

  engine: EngineState;
  /** Settings per mode (remembered between visits). */
  settings: Record<AdaptMode, AdaptSettings>;
  /** The mode "Run" adapts with. */
  selectedMode: RunMode;
  /** The modes "Compare" runs. */
  compareModes: RunMode[];
  /** Label convention of exported masks (remembered): as the label map given, or fixed. */
  exportLabels: ExportLabelsChoice;
  /** Post-process the masks (src/core/postprocess: small components, small-ET rule); on by default. */
  postprocess: boolean;
  run: RunState;
  results: RunResults | null;
  view: ViewState;

  /** Reads files; replaces the current case unless `append`. */
  loadFiles(inputs: (InputFile | RefusedFile)[], options?: { append?: boolean; skipped?: string[] }): Promise<void>;
  /**
   * Fetches the bundled real demo case (same origin) and loads it like a drop; 'other-scanner'
   * first passes its scans through the shift simulator (in the worker).
   */
  loadDemoCase(variant?: 'original' | 'other-scanner'): Promise<void>;
  /** What is being prepared (e.g. the simulated scanner), for the status line. */
  preparing: string | null;
  assignRole(fileId: string, role: FileRole | null): void;
  removeFile(fileId: string): void;
  clear(): void;
  setViewModality(modality: Modality): void;
  setShowLabels(show: boolean): void;

  startEngine(options: EngineOptions): void;
  setSettings(mode: AdaptMode, patch: Partial<Omit<AdaptSettings, 'mode'>>): void;
  resetSettings(mode: AdaptMode): void;
  setSelectedMode(mode: RunMode): void;
  setCompareMode(mode: RunMode, included: boolean): void;
  setExportLabels(choice: ExportLabelsChoice): void;
  setPostprocess(on: boolean): void;
  /** Baseline + one adaptation per mode, in the worker. */
  startRun(modes: RunMode[]): void;
  cancelRun(): void;
  setView(patch: Partial<ViewState>): void;
}

const EMPTY_CHECK: CaseCheck = { issues: [], mriCase: null };
const IDLE_RUN: RunState = { status: 'idle', modes: [], progress: null, live: {}, cancelling: false, error: null, workerLost: false, notices: [] };
export const COMPARABLE_MODES: RunMode[] = ['auto', 'normalizer', 'bn', 'tent', 'adabn', 'bnmix'];
export const RUN_MODES: RunMode[] = ['auto', ...ADAPT_MODES];

/** Recomputes everything that follows from the file list. */
function derive(files: CaseFile[]): Pick<AttuneState, 'files' | 'check' | 'labelStats'> {
  if (files.length === 0) return { files, check: EMPTY_CHECK, labelStats: null };
  const check = validateCase(files);
  const label = check.mriCase?.label ?? null;
  return { files, check, labelStats: label ? labelVolumesOf(label) : null };
}

/** Range checks of user-entered settings; the message says what is allowed. Null = valid. */
export function settingProblem(key: 'learningRate' | 'iterations' | 'statsSlices', value: number): string | null {
  if (!Number.isFinite(value)) return 'enter a number';
  if (key === 'learningRate') return value > 0 && value < 1 ? null : 'must be between 0 and 1 (e.g. 0.001)';
  if (key === 'iterations') return Number.isInteger(value) && value >= 1 && value <= 1000 ? null : 'a whole number 1…1000';
  return Number.isInteger(value) && value >= 1 && value <= 64 ? null : 'a whole number 1…64';
}

function validSettings(s: unknown, mode: AdaptMode): AdaptSettings {
  const d = DEFAULT_SETTINGS[mode];
  if (!s || typeof s !== 'object') return d;
  const v = s as Partial<AdaptSettings>;
  return {
    mode,
    optimizer: v.optimizer === 'sgd' || v.optimizer === 'adam' ? v.optimizer : d.optimizer,
    learningRate: typeof v.learningRate === 'number' && !settingProblem('learningRate', v.learningRate) ? v.learningRate : d.learningRate,
    iterations: typeof v.iterations === 'number' && !settingProblem('iterations', v.iterations) ? v.iterations : d.iterations,
    statsSlices: typeof v.statsSlices === 'number' && !settingProblem('statsSlices', v.statsSlices) ? v.statsSlices : d.statsSlices,
    ...(v.layers === 'shallow' ? { layers: 'shallow' as const } : {}),
    ...(v.pixels === 'brain' ? { pixels: 'brain' as const } : {}),
  };
}

/** AdaBN and none have no optimisation: their settings are fixed apart from the slices. */
export { isGradientMode };

/** auto's outcome as a mode: its kept mask, the decision, and the adaptation when it ran (else the baseline's empty report). */
function autoOutcome(a: AutoResultMessage, signals: SignalResult): ModeOutcome {
  const report: AdaptationReport = a.report ?? { mode: 'none', settings: DEFAULT_SETTINGS.none, lossCurve: [], chosenIteration: 0, shiftScore: signals.evidence.shiftScore ?? NaN, seconds: 0 };
  return { mode: 'auto', report, labels: a.labels, segmentSeconds: a.seconds, decision: a.decision };
}

function summarise(mriCase: MriCase, baseline: Uint8Array, modes: ModeOutcome[]): MaskSummary[] {
  return [summariseMask(mriCase, 'baseline', baseline), ...modes.map((m) => summariseMask(mriCase, m.mode, m.labels))];
}

let batch = 0;
let keeper: WorkerKeeper | null = null;
let activeRun: { runId: number; cancel: () => void } | null = null;

export const useAttune = create<AttuneState>()(
  persist(
    (set, get, api) => {
      /** A new or changed case: a run on the old one is cancelled and its masks dropped. */
      const dropRun = (): Pick<AttuneState, 'run' | 'results'> => {
        activeRun?.cancel();
        activeRun = null;
        return { run: IDLE_RUN, results: null };
      };

      return {
        ...createEditSlice(set, get, api),
        ...createDisplaySlice(set, get, api),
        ...createDicomSlice(set, get, api),
        files: [],
        check: EMPTY_CHECK,
        labelStats: null,
        reading: false,
        notices: [],
        failures: [],
        viewModality: 't1ce',
        showLabels: true,

        engine: { status: 'off', backend: null, reason: '', modelLabel: '', error: null, notices: [], calibration: null },
        settings: { ...DEFAULT_SETTINGS },
        selectedMode: 'auto',
        compareModes: ['auto', 'bn'],
        postprocess: true,
        run: IDLE_RUN,
        results: null,
        view: { left: 'baseline', right: 'auto', showChanges: false },

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
            set({ ...derive(files), ...dropRun(), reading: false, notices: options.append ? [...get().notices, ...notices] : notices });
          } catch (err) {
            if (token !== batch) return;
            set({ reading: false, failures: [`Could not read the dropped files: ${(err as Error).message}`] });
          }
        },

        preparing: null,

        async loadDemoCase(variant = 'original') {
          set({ reading: true, failures: [] });
          try {
            let files = await fetchDemoCase();
            if (variant === 'other-scanner') {
              const client = keeper?.current;
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
          set({ ...derive(get().files.map((f) => (f.id === fileId ? { ...f, role } : f))), ...dropRun() });
        },

        removeFile(fileId) {
          set({ ...derive(get().files.filter((f) => f.id !== fileId)), ...dropRun() });
        },

        clear() {
          batch++;
          set({ ...derive([]), ...dropRun(), notices: [], failures: [], reading: false });
        },

        setViewModality(viewModality) {
          set({ viewModality });
        },

        setShowLabels(showLabels) {
          set({ showLabels });
        },

        startEngine(options) {
          if (keeper) return;
          set({ engine: { status: 'starting', backend: null, reason: '', modelLabel: options.modelLabel, error: null, notices: options.notices, calibration: null } });
          keeper = new WorkerKeeper(options, {
            starting: () => set({ engine: { ...get().engine, status: 'starting', backend: null, error: null } }),
            ready: (r, afterLoss) => {
              const reason = afterLoss ? 'restarted on wasm after the previous worker stopped' : r.reason;
              set({ engine: { ...get().engine, status: 'ready', backend: r.backend, reason, calibration: r.calibration } });
            },
            failed: (message) => set({ engine: { ...get().engine, status: 'failed', error: message } }),
            backendChanged: (backend, reason) => set({ engine: { ...get().engine, backend, reason } }),
            lost: (error, restartedOn) => {
              if (!restartedOn) {
                set({ engine: { ...get().engine, status: 'failed', error: `${error.message}, again; reload the page to start it over` } });
              } else if (!activeRun) {
                // No run to report it on: tell the user at the top of the page.
                set({ engine: { ...get().engine, notices: [...get().engine.notices, afterLossNotice(error, 'idle', restartedOn)] } });
              }
            },
          });
          keeper.start();
        },

        setSettings(mode, patch) {
          set({ settings: { ...get().settings, [mode]: { ...get().settings[mode], ...patch, mode } } });
        },

        resetSettings(mode) {
          set({ settings: { ...get().settings, [mode]: DEFAULT_SETTINGS[mode] } });
        },

        setSelectedMode(selectedMode) {
          set({ selectedMode });
        },

        exportLabels: 'match',
        setExportLabels(exportLabels) {
          set({ exportLabels });
        },

        setCompareMode(mode, included) {
          const chosen = new Set(get().compareModes);
          if (included) chosen.add(mode);
          else chosen.delete(mode);
          set({ compareModes: COMPARABLE_MODES.filter((m) => chosen.has(m)) });
        },

        setPostprocess(postprocess) {
          set({ postprocess });
        },

        startRun(requested) {
          const mriCase = get().check.mriCase;
          const client = keeper?.current;
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
                const curve = [...(live[p.mode as RunMode] ?? [])];
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
                const message = afterLossNotice(e, 'run', keeper?.current ? 'wasm' : null);
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

        setView(patch) {
          set({ view: { ...get().view, ...patch } });
        },
      };
    },
    {
      name: 'attune.settings',
      // 2: `auto` became the default mode; a choice remembered from version 1 predates it.
      version: 2,
      migrate: (persisted) => ({ ...(persisted as object), selectedMode: 'auto' }),
      // Only the user's choices are remembered; never files, masks or results.
      partialize: (s) => ({ settings: s.settings, selectedMode: s.selectedMode, compareModes: s.compareModes, exportLabels: s.exportLabels, postprocess: s.postprocess }),
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<Pick<AttuneState, 'settings' | 'selectedMode' | 'compareModes' | 'exportLabels' | 'postprocess'>>;
        const exportLabels = (['match', 'brats2021', 'brats2023'] as const).find((c) => c === p.exportLabels) ?? current.exportLabels;
        const settings = Object.fromEntries(ADAPT_MODES.map((m) => [m, validSettings(p.settings?.[m], m)])) as Record<AdaptMode, AdaptSettings>;
        const selectedMode = RUN_MODES.includes(p.selectedMode as RunMode) ? (p.selectedMode as RunMode) : current.selectedMode;
        const compareModes = Array.isArray(p.compareModes) ? COMPARABLE_MODES.filter((m) => p.compareModes!.includes(m)) : current.compareModes;
        const postprocess = typeof p.postprocess === 'boolean' ? p.postprocess : current.postprocess;
        return { ...current, settings, selectedMode, compareModes, exportLabels, postprocess };
      },
    },
  ),
);
