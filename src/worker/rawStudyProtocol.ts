import type { PreparedStudy } from '../core/rawStudy/index.ts';
import type { StudyVolumes } from '../core/registration/index.ts';
import type { GpuFaultStage } from './gpuFallback.ts';
import type { BackendName } from './protocol.ts';

/** Where the raw-study worker finds what it loads (absolute URLs on the app's own origin: rawStudyAssetUrls). */
export interface RawStudyAssets {
  /** MindGrab's model.json (its weight files are fetched next to it, as its manifest names them). */
  mindgrabModelUrl: string;
  /** SRI24's T1 (skull-stripped), NIfTI. */
  atlasUrl: string;
  /** The app's copy of @itk-wasm/elastix's dist/pipelines/ (elastixPipelinesBaseUrl). */
  elastixPipelinesBaseUrl: string;
}

/** Main thread → raw-study worker: prepare one study (the four native series). */
export interface RawStudyRequest {
  type: 'prepare';
  study: StudyVolumes;
  assets: RawStudyAssets;
  /** 'wasm' switches WebGPU off (the page's ?backend=wasm). */
  backend?: BackendName;
  /** The series are skull-stripped already: their non-zero voxels are the brain, no network runs. */
  alreadyStripped?: boolean;
  /** Testing (the page's ?gpuFault=skull-strip): the first WebGPU skull strip fails after its first chunk, as a lost device would. */
  gpuFault?: GpuFaultStage;
}

/** What the worker sends back with a prepared study. */
export interface RawStudyResult {
  /** Everything prepareRawStudy returns: each series on the atlas grid (as registered, and masked), the brain masks, quality, timings. */
  prepared: PreparedStudy;
  /** The atlas's brain on the atlas grid (for its outline in the QC view). */
  atlasBrain: Uint8Array;
  /** The backend the skull strip ran on. */
  backend: BackendName;
}

/**
 * Raw-study worker → main thread: the backend it starts on (and why), each step as it starts
 * (`prepareRawStudy`'s names: 'loading MindGrab and the atlas', 'skull strip T1Gd', 'downsample',
 * 'register T1Gd → atlas', …), the skull strip's chunks, then the result or why not (an
 * InputError's code, e.g. 'implausible-brain-mask', 'registration-failed', else null).
 */
export type RawStudyEvent =
  | { type: 'backend'; backend: BackendName; reason: string }
  | { type: 'step'; step: string }
  | { type: 'strip-progress'; done: number; total: number }
  | { type: 'result'; result: RawStudyResult }
  | { type: 'error'; code: string | null; message: string };
