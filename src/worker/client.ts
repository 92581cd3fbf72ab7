import type { MriCase } from '../core/case/index.ts';
import { MODALITIES, type Modality } from '../core/modality/index.ts';
import type { AdaptSettings } from '../core/tta/index.ts';
import type { GpuFaultStage } from './gpuFallback.ts';
import type { BackendName, ModelSource, WorkerEvent, WorkerRequest, WorkerVolume } from './protocol.ts';
import { WorkerLost, type WorkerFault, type WorkerLossCause } from './workerDeath.ts';

export type RunResult = Extract<WorkerEvent, { type: 'result' }>;
export type RunProgress = Extract<WorkerEvent, { type: 'progress' }>;
export type Ready = Extract<WorkerEvent, { type: 'ready' }>;

/**
 * Main-thread handle on the worker: promises for init and runs, a progress callback,
 * cancel. Holds no math; the app's store talks to this and nothing else.
 */
export class AttuneWorkerClient {
  private worker: Worker;
  private nextRun = 1;
  private nextShift = 1;
  private shifts = new Map<number, { resolve: (files: { name: string; bytes: Uint8Array }[]) => void; reject: (e: Error) => void }>();
  private pending = new Map<number, { resolve: (r: RunResult | null) => void; reject: (e: Error) => void; onProgress?: (p: RunProgress) => void; onNotice?: (message: string) => void }>();
  readonly ready: Promise<Ready>;
  /** Called when the worker changes backend (WebGPU failed: it now runs on wasm). */
  onBackendChange: ((backend: BackendName, reason: string) => void) | null = null;
  /**
   * Called once when the worker is gone without being asked to stop (killed out of memory,
   * crashed, a message lost). Pending runs and requests have been rejected with the same
   * WorkerLost; this client is finished and a fresh one is needed.
   */
  onLost: ((error: WorkerLost) => void) | null = null;
  private lost: WorkerLost | null = null;
  private stopped = false;
  /** Past `ready`: from here on a failure is a loss, before it a failed start. */
  private started = false;
  private stopWatching = new AbortController();

  constructor(model: ModelSource, options: { backend?: BackendName; gpuFault?: GpuFaultStage; workerFault?: WorkerFault } = {}) {
    this.worker = new Worker(new URL('./attune.worker.ts', import.meta.url), { type: 'module', name: 'attune' });
    const lifeLock = typeof navigator !== 'undefined' && navigator.locks ? `attune-worker-${crypto.randomUUID()}` : undefined;
    this.ready = new Promise((resolve, reject) => {
      const onInit = (ev: MessageEvent<WorkerEvent>) => {
        if (ev.data.type === 'ready') {
          this.started = true;
          resolve(ev.data);
          // The worker took its life lock before saying ready; asking now cannot win the race.
          if (lifeLock) this.watchLife(lifeLock);
        } else if (ev.data.type === 'init-error') reject(new Error(ev.data.message));
        else return;
        this.worker.removeEventListener('message', onInit);
      };
      this.worker.addEventListener('message', onInit);
      this.worker.addEventListener('error', (e) => reject(new Error(`the worker failed to start: ${e.message}`)), { once: true });
    });
    // Settled either way before a loss can be reported; a start failure is reported by `ready`.
    this.ready.catch(() => undefined);
    this.worker.addEventListener('message', (ev: MessageEvent<WorkerEvent>) => this.route(ev.data));
    // An uncaught error inside the worker: it may live on, but whatever it was doing will
    // never answer. A message that cannot be deserialised: its run's reply is gone.
    this.worker.addEventListener('error', (e) => {
      if (!this.started) return;
      e.preventDefault();
      this.lose('crashed', e.message ?? '');
    });
    this.worker.addEventListener('messageerror', () => this.lose('message-lost', ''));
    this.send({ type: 'init', model, backend: options.backend, gpuFault: options.gpuFault, workerFault: options.workerFault, lifeLock });
  }

  /** Granted only once the worker holding the lock no longer exists. */
  private watchLife(lock: string) {
    navigator.locks
      .request(lock, { signal: this.stopWatching.signal }, () => this.lose('vanished', ''))
      .catch(() => undefined); // aborted by terminate()
  }

  /** The worker is gone or unusable: stop it for good and fail everything that waited on it. */
  private lose(cause: WorkerLossCause, detail: string) {
    if (this.stopped || this.lost) return;
    const error = new WorkerLost(cause, detail);
    this.lost = error;
    this.stopWatching.abort();
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const s of this.shifts.values()) s.reject(error);
    this.shifts.clear();
    this.onLost?.(error);
  }

  /** True once the worker was lost; runs then fail at once with the loss. */
  get isLost(): boolean {
    return this.lost !== null;
  }

  private send(req: WorkerRequest) {
    if (this.lost) return;
    this.worker.postMessage(req);
  }

  private route(e: WorkerEvent) {
    if (e.type === 'shifted' || e.type === 'shift-error') {
      const s = this.shifts.get(e.requestId);
      this.shifts.delete(e.requestId);
      if (e.type === 'shifted') s?.resolve(e.files);
      else s?.reject(new Error(e.message));
      return;
    }
    if (e.type === 'backend') {
      this.onBackendChange?.(e.backend, e.reason);
      return;
    }
    if (!('runId' in e)) return;
    const p = this.pending.get(e.runId);
    if (!p) return;
    if (e.type === 'progress') return p.onProgress?.(e);
    if (e.type === 'notice') return p.onNotice?.(e.message);
    this.pending.delete(e.runId);
    if (e.type === 'result') p.resolve(e);
    else if (e.type === 'cancelled') p.resolve(null);
    else if (e.type === 'error') p.reject(new Error(e.message));
  }

  /** Baseline + each setting's adaptation on one case. Resolves null when cancelled. */
  run(mri: MriCase, settings: AdaptSettings[], options: { auto?: boolean; batchSize?: number; postprocess?: boolean; onProgress?: (p: RunProgress) => void; onNotice?: (message: string) => void } = {}) {
    const runId = this.nextRun++;
    const modalities = Object.fromEntries(
      MODALITIES.map((m) => {
        const v = mri.modalities[m];
        return [m, { name: v.name, dims: v.dims, data: v.data, scaling: v.scaling, spacingMm: v.spacingMm, affine: v.affine } satisfies WorkerVolume];
      }),
    ) as Record<Modality, WorkerVolume>;
    const promise = new Promise<RunResult | null>((resolve, reject) => {
      if (this.lost) reject(this.lost);
      else this.pending.set(runId, { resolve, reject, onProgress: options.onProgress, onNotice: options.onNotice });
    });
    const cancelFlag = typeof SharedArrayBuffer !== 'undefined' && self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    // structured clone copies the voxels: the user's volumes are never transferred away or changed
    this.send({ type: 'run', runId, modalities, settings, auto: options.auto, batchSize: options.batchSize, postprocess: options.postprocess, cancelFlag });
    const cancel = () => {
      if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
      this.send({ type: 'cancel', runId });
    };
    return { runId, result: promise, cancel };
  }

  /** A case (its dropped files) as if scanned elsewhere: core's shift simulator, in the worker. */
  shift(files: { name: string; bytes: Uint8Array }[], options: { preset: string; severity: number; seed?: number }): Promise<{ name: string; bytes: Uint8Array }[]> {
    const requestId = this.nextShift++;
    return new Promise((resolve, reject) => {
      if (this.lost) return reject(this.lost);
      this.shifts.set(requestId, { resolve, reject });
      this.send({ type: 'shift', requestId, files, ...options });
    });
  }

  terminate() {
    this.stopped = true;
    this.stopWatching.abort();
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the worker was stopped'));
    this.pending.clear();
  }
}
