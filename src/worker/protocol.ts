import type { Modality } from '../core/modality/index.ts';
import type { AdaptationReport, AdaptSettings } from '../core/tta/index.ts';
import type { NiftiVolume } from '../core/volume/index.ts';

export type BackendName = 'webgpu' | 'wasm';

/** Where the model files are: model.json and, per manifest path, the URL of that shard. */
export interface ModelSource {
  manifestUrl: string;
  shardUrls: Record<string, string>;
}

/** The voxels the worker needs from each modality (structured-cloned: the caller's stay intact). */
export type WorkerVolume = Pick<NiftiVolume, 'name' | 'dims' | 'data' | 'scaling' | 'spacingMm'>;

export type WorkerRequest =
  | { type: 'init'; model: ModelSource; /** 'wasm' forces the fallback (tests, or a user's choice). */ backend?: BackendName }
  | { type: 'run'; runId: number; modalities: Record<Modality, WorkerVolume>; settings: AdaptSettings[]; batchSize?: number }
  | { type: 'cancel'; runId: number };

export type RunStage = 'preprocess' | 'baseline' | 'adapt' | 'segment';

export interface ModeResult {
  report: AdaptationReport;
  /** BraTS labels {0,1,2,4} on the original grid. */
  labels: Uint8Array;
  segmentSeconds: number;
}

export type WorkerEvent =
  | { type: 'ready'; backend: BackendName; reason: string; modelInfo: { contractVersion: number; widths: number[] } }
  | { type: 'init-error'; message: string }
  | { type: 'progress'; runId: number; stage: RunStage; mode?: string; iteration?: number; loss?: number; done?: number; total?: number }
  | { type: 'result'; runId: number; backend: BackendName; baseline: Uint8Array; baselineSeconds: number; results: ModeResult[] }
  | { type: 'cancelled'; runId: number }
  | { type: 'error'; runId: number; message: string };
