import type { StudyVolumes } from '../core/registration/index.ts';
import { elastixPipelinesBaseUrl } from './elastixPipeline.ts';
import type { GpuFaultStage } from './gpuFallback.ts';
import { OneRunWorker } from './oneRunWorker.ts';
import type { BackendName } from './protocol.ts';
import type { RawStudyAssets, RawStudyEvent, RawStudyRequest, RawStudyResult } from './rawStudyProtocol.ts';

/** What a cancelled preparation's promise rejects with. */
export class RawStudyCancelled extends Error {
  constructor() {
    super('Preparing the raw study was cancelled.');
    this.name = 'RawStudyCancelled';
  }
}

/**
 * The app's own copies of what the raw pipeline loads — MindGrab (public/models/mindgrab/),
 * the SRI24 atlas (public/atlas/sri24/) and elastix's pipeline — as absolute URLs (the worker
 * resolves against its own URL under assets/, so relative ones would point elsewhere).
 */
export function rawStudyAssetUrls(pageUrl: string, basePath = '/'): RawStudyAssets {
  const base = new URL(basePath.replace(/\/?$/, '/'), pageUrl);
  return {
    mindgrabModelUrl: new URL('models/mindgrab/model.json', base).href,
    atlasUrl: new URL('atlas/sri24/spgr.nii.gz', base).href,
    elastixPipelinesBaseUrl: elastixPipelinesBaseUrl(pageUrl, basePath),
  };
}

export interface RawStudyOptions {
  /** 'wasm' switches WebGPU off for the skull strip (the page's ?backend=wasm). */
  backend?: BackendName;
  alreadyStripped?: boolean;
  /** Testing: the page's ?gpuFault= (only skull-strip acts here). */
  gpuFault?: GpuFaultStage;
  onBackend?: (backend: BackendName, reason: string) => void;
  /** Each step as it starts ('skull strip T1Gd', 'register T1 → T1Gd', 'resample FLAIR', …). */
  onStep?: (step: string) => void;
  /** The skull strip's chunks done of all. */
  onStripProgress?: (done: number, total: number) => void;
}

export interface RawStudyRun {
  /** Rejects with an InputError (the study cannot be used: implausible brain, elastix failed …), RawStudyCancelled, or an Error. */
  result: Promise<RawStudyResult>;
  /** Stops at once by terminating the worker (neither MindGrab's chunk nor elastix can be interrupted); the next run starts a fresh one. */
  cancel(): void;
}

type Progress = Exclude<RawStudyEvent, { type: 'result' } | { type: 'error' }>;

/**
 * Main-thread handle on the raw-study worker (rawStudy.worker.ts): one study at a time,
 * progress as events, cancel by termination. The worker (with MindGrab, the atlas and
 * elastix's compiled pipeline) is kept for the next study until a cancel or a crash.
 */
export class RawStudyWorkerClient {
  private readonly worker = new OneRunWorker<RawStudyRequest, Progress, RawStudyResult>({
    create: () => new Worker(new URL('./rawStudy.worker.ts', import.meta.url), { type: 'module', name: 'attune-raw-study' }),
    name: 'The raw-study worker',
    busy: 'A raw study is already being prepared: cancel it or wait for it first.',
    cancelled: () => new RawStudyCancelled(),
  });

  constructor(private readonly assets: RawStudyAssets = rawStudyAssetUrls(self.location.href, import.meta.env.BASE_URL)) {}

  prepare(study: StudyVolumes, options: RawStudyOptions = {}): RawStudyRun {
    const request: RawStudyRequest = { type: 'prepare', study, assets: this.assets, backend: options.backend, alreadyStripped: options.alreadyStripped, gpuFault: options.gpuFault };
    return this.worker.run(request, (event) => {
      if (event.type === 'backend') options.onBackend?.(event.backend, event.reason);
      else if (event.type === 'step') options.onStep?.(event.step);
      else if (event.type === 'strip-progress') options.onStripProgress?.(event.done, event.total);
    });
  }

  /** Terminates the worker (and any run: it rejects as cancelled). */
  dispose(): void {
    this.worker.dispose();
  }
}
