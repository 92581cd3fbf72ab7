import { InputError, type InputIssueCode } from '../core/inputIssue.ts';
import type { StudyVolumes } from '../core/registration/index.ts';
import { elastixPipelinesBaseUrl } from './elastixPipeline.ts';
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

interface Active {
  resolve: (r: RawStudyResult) => void;
  reject: (e: Error) => void;
  options: RawStudyOptions;
}

/**
 * Main-thread handle on the raw-study worker (rawStudy.worker.ts): one study at a time,
 * progress as events, cancel by termination. The worker (with MindGrab, the atlas and
 * elastix's compiled pipeline) is kept for the next study until a cancel or a crash.
 */
export class RawStudyWorkerClient {
  private worker: Worker | null = null;
  private active: Active | null = null;

  constructor(private readonly assets: RawStudyAssets = rawStudyAssetUrls(self.location.href, import.meta.env.BASE_URL)) {}

  prepare(study: StudyVolumes, options: RawStudyOptions = {}): RawStudyRun {
    if (this.active) throw new Error('A raw study is already being prepared: cancel it or wait for it first.');
    const worker = this.start();
    let active!: Active;
    const result = new Promise<RawStudyResult>((resolve, reject) => {
      active = { resolve, reject, options };
    });
    this.active = active;
    const request: RawStudyRequest = { type: 'prepare', study, assets: this.assets, backend: options.backend, alreadyStripped: options.alreadyStripped };
    worker.postMessage(request);
    return {
      result,
      cancel: () => {
        if (this.active !== active) return; // already settled
        this.stop();
        active.reject(new RawStudyCancelled());
      },
    };
  }

  /** Terminates the worker (and any run: it rejects as cancelled). */
  dispose(): void {
    const active = this.active;
    this.stop();
    active?.reject(new RawStudyCancelled());
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./rawStudy.worker.ts', import.meta.url), { type: 'module', name: 'attune-raw-study' });
    worker.addEventListener('message', (ev: MessageEvent<RawStudyEvent>) => {
      const active = this.active;
      if (!active || worker !== this.worker) return;
      const event = ev.data;
      if (event.type === 'backend') return active.options.onBackend?.(event.backend, event.reason);
      if (event.type === 'step') return active.options.onStep?.(event.step);
      if (event.type === 'strip-progress') return active.options.onStripProgress?.(event.done, event.total);
      this.active = null;
      if (event.type === 'result') active.resolve(event.result);
      else active.reject(event.code ? new InputError(event.code as InputIssueCode, event.message) : new Error(event.message));
    });
    // A crash (e.g. out of memory in the strip or in elastix's wasm): fail the run, start afresh next time.
    const lost = (why: string) => {
      const active = this.active;
      this.stop();
      active?.reject(new Error(`The raw-study worker stopped: ${why}`));
    };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      lost(e.message || 'it crashed');
    });
    worker.addEventListener('messageerror', () => lost('a message could not be read'));
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.active = null;
  }
}
