import type { Modality } from '../core/modality/index.ts';
import type { AdaptationReport, AdaptSettings } from '../core/tta/index.ts';
import type { AutoDecision, BaselineReading, CandidateRun } from '../core/decision/index.ts';
import type { BaselineEvidence } from '../core/signals/index.ts';
import type { NiftiVolume } from '../core/volume/index.ts';
import type { GpuFaultStage } from './gpuFallback.ts';
import type { WorkerFault } from './workerDeath.ts';

export type BackendName = 'webgpu' | 'wasm';

/** Where the model files are: model.json and, per manifest path, the URL of that shard. */
export interface ModelSource {
  manifestUrl: string;
  shardUrls: Record<string, string>;
  /** The model's calibration.json (default: next to model.json); without one, `auto` keeps the baseline and says why. */
  calibrationUrl?: string;
}

/** The voxels the worker needs from each modality (structured-cloned: the caller's stay intact). */
/** What the worker needs of a scan: its voxels, and its affine to bring it to the model's orientation. */
export type WorkerVolume = Pick<NiftiVolume, 'name' | 'dims' | 'data' | 'scaling' | 'spacingMm' | 'affine'>;

export type WorkerRequest =
  | {
      type: 'init';
      model: ModelSource;
      /** 'wasm' forces the fallback (tests, or a user's choice). */
      backend?: BackendName;
      /** Test hook: the first WebGPU run throws a GPU-like failure at this stage (?gpuFault=). */
      gpuFault?: GpuFaultStage;
      /** Test hook: the worker dies during the first adaptation (?workerFault=, workerDeath.ts). */
      workerFault?: WorkerFault;
      /**
       * A Web Lock the worker holds for as long as it lives; the page asks for the same lock
       * and is granted it only when the worker is gone (killed out of memory, crashed,
       * terminated) — the only sign a browser gives of a worker killed without a word.
       */
      lifeLock?: string;
    }
  | {
      type: 'run';
      runId: number;
      modalities: Record<Modality, WorkerVolume>;
      settings: AdaptSettings[];
      /** Also run `auto` (src/core/decision): adapt only when the evidence says so. */
      auto?: boolean;
      batchSize?: number;
      /** Post-process every mask of the run (src/core/postprocess); absent = on, the default. */
      postprocess?: boolean;
      /**
       * Cancel flag shared with the page (Int32Array over a SharedArrayBuffer; 1 = cancel),
       * when the page is cross-origin isolated. Needed because on wasm the adaptation loop
       * never yields to the worker's event loop, so a `cancel` message would wait for the
       * run to end; the flag is read synchronously between iterations and slice batches.
       */
      cancelFlag?: Int32Array;
    }
  | { type: 'cancel'; runId: number }
  /** A simulated scanner shift of a case (src/core/shift), done here so the page stays responsive. */
  | { type: 'shift'; requestId: number; files: { name: string; bytes: Uint8Array }[]; preset: string; severity: number; seed?: number };

export type RunStage = 'preprocess' | 'baseline' | 'adapt' | 'segment';

export interface ModeResult {
  report: AdaptationReport;
  /** BraTS labels {0,1,2,4} on the original grid. */
  labels: Uint8Array;
  segmentSeconds: number;
}

/** What the baseline says about the scan, read against the training scans (every run). */
export interface SignalResult {
  evidence: BaselineEvidence;
  /** The decision signal's reading, or why it has none (no tumour predicted); null without a calibration. */
  reading: BaselineReading | null;
}

/** `auto`: the kept mask, the decision with its reason, and the adaptation when it ran. */
export interface AutoResultMessage {
  labels: Uint8Array;
  decision: Omit<AutoDecision, 'baseline'>;
  /** The kept candidate's adaptation (absent when the baseline is kept). */
  report?: AdaptationReport;
  /** Every candidate run, kept or not (none when it did not adapt): loss curves and times. */
  candidateRuns: CandidateRun[];
  /** Seconds of every candidate's adaptation and segmentation (0 when it did not adapt). */
  seconds: number;
}

export type WorkerEvent =
  | { type: 'ready'; backend: BackendName; reason: string; modelInfo: { contractVersion: number; widths: number[] }; calibration: CalibrationStatus }
  | { type: 'init-error'; message: string }
  | { type: 'progress'; runId: number; stage: RunStage; mode?: string; /** `auto`'s candidate. */ variant?: string; iteration?: number; loss?: number; done?: number; total?: number }
  | { type: 'result'; runId: number; backend: BackendName; baseline: Uint8Array; baselineSeconds: number; results: ModeResult[]; signals: SignalResult; auto?: AutoResultMessage }
  /** Something the user should know about this run: fewer statistics slices, a fallback to wasm. */
  | { type: 'notice'; runId: number; message: string }
  /** The backend changed (WebGPU failed; the worker now runs on wasm). */
  | { type: 'backend'; backend: BackendName; reason: string }
  | { type: 'cancelled'; runId: number }
  | { type: 'error'; runId: number; message: string }
  /** The shifted case as uncompressed NIfTI files (the label map unchanged), in the input's order. */
  | { type: 'shifted'; requestId: number; files: { name: string; bytes: Uint8Array }[] }
  | { type: 'shift-error'; requestId: number; message: string };

/** Whether the model came with a calibration the worker accepted ('loaded'), or why not. */
export type CalibrationStatus = { state: 'loaded'; scans: number } | { state: 'missing' | 'refused'; message: string };
