import { AttuneWorkerClient, type Ready } from '../worker/client.ts';
import type { BackendName, ModelSource } from '../worker/protocol.ts';
import type { WorkerFault, WorkerLost } from '../worker/workerDeath.ts';
import type { GpuFaultStage } from '../worker/gpuFallback.ts';
import type { EngineOptions } from './engine.ts';

/** What the keeper needs of a worker client (the real one, or a stand-in in unit tests). */
export type KeptClient = Pick<AttuneWorkerClient, 'ready' | 'run' | 'shift' | 'terminate' | 'onBackendChange' | 'onLost'>;
export type MakeClient = (model: ModelSource, options: { backend?: BackendName; gpuFault?: GpuFaultStage; workerFault?: WorkerFault }) => KeptClient;

export interface KeeperEvents {
  starting(): void;
  /** `afterLoss`: this worker replaces one that died (its backend reason says why wasm). */
  ready(ready: Ready, afterLoss: boolean): void;
  failed(message: string): void;
  backendChanged(backend: BackendName, reason: string): void;
  /** The worker died; a fresh one is already starting on `restartedOn` (null: given up). */
  lost(error: WorkerLost, restartedOn: BackendName | null): void;
}

/**
 * After this many deaths in one session the page stops restarting (something is wrong
 * beyond one heavy run) and says so, instead of looping.
 */
export const MAX_RESTARTS = 3;

/**
 * Keeps one model worker alive for the page: starts it, and when it dies (client.ts
 * reports the loss) starts a fresh one — on wasm, since a death on WebGPU most likely came
 * from the GPU, and wasm stays wasm. The test hooks (?gpuFault=, ?workerFault=) apply to
 * the first worker only, so the fresh one works. Outside the store: the store only hears
 * state changes and asks for `current`.
 */
export class WorkerKeeper {
  private client: KeptClient | null = null;
  private restarts = 0;

  constructor(
    private readonly options: EngineOptions,
    private readonly events: KeeperEvents,
    private readonly make: MakeClient = (model, o) => new AttuneWorkerClient(model, o),
  ) {}

  /** The live client, or null while none is usable. */
  get current(): KeptClient | null {
    return this.client;
  }

  get restartCount(): number {
    return this.restarts;
  }

  start(): void {
    if (this.client) return;
    this.connect({ backend: this.options.backend, gpuFault: this.options.gpuFault, workerFault: this.options.workerFault });
  }

  private connect(options: { backend?: BackendName; gpuFault?: GpuFaultStage; workerFault?: WorkerFault }) {
    const client = this.make(this.options.model, options);
    this.client = client;
    client.onBackendChange = (backend, reason) => this.events.backendChanged(backend, reason);
    client.onLost = (error) => {
      if (this.client !== client) return;
      this.client = null;
      if (this.restarts >= MAX_RESTARTS) {
        this.events.lost(error, null);
        return;
      }
      this.restarts++;
      this.events.lost(error, 'wasm');
      this.connect({ backend: 'wasm' });
    };
    this.events.starting();
    client.ready.then(
      (r) => {
        if (this.client === client) this.events.ready(r, this.restarts > 0);
      },
      (e: Error) => {
        if (this.client === client) this.events.failed(e.message);
      },
    );
  }
}
