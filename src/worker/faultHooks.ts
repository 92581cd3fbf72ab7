import { injectedFault, type GpuFaultStage } from './gpuFallback.ts';
import type { WorkerFault } from './workerDeath.ts';

/** Unwinds a run after the injected death: nothing may be posted any more. */
export class Dying extends Error {}

/**
 * The worker's test-fault hooks, all in one place: what `init` arms from the app's
 * `?gpuFault=` (a GPU-like failure, or a real device loss, once, on the first WebGPU run:
 * gpuFallback.ts) and `?workerFault=` (the worker dies once during its first adaptation:
 * workerDeath.ts). The run paths never see them; they call the worker's checkpoint, which
 * asks these hooks. Nothing is armed in a normal session, and then every hook is a no-op.
 */
export class FaultHooks {
  private gpuFault: GpuFaultStage | null = null;
  private death: WorkerFault | null = null;

  constructor(private readonly effects: { destroyGpuDevice: () => void; closeWorker: () => void }) {}

  armGpuFault(stage: GpuFaultStage | null | undefined): void {
    this.gpuFault = stage ?? null;
  }

  armDeath(fault: WorkerFault | null | undefined): void {
    this.death = fault ?? null;
  }

  /**
   * After an adaptation iteration (before the cancel check, as a real death would come):
   * 'exit' closes the worker without a word — what the page sees when the browser kills a
   * worker that ran out of memory; 'crash' lets an error escape (the page's `error` event)
   * and the run never answers.
   */
  duringAdaptation(iteration: number): void {
    if (!this.death || iteration === 0) return;
    if (this.death === 'exit') {
      this.effects.closeWorker();
      throw new Dying();
    }
    throw new Dying(`injected crash during adaptation (?workerFault=crash, for testing)`);
  }

  /** At a checkpoint of a WebGPU run: the armed GPU fault, once (the rerun after the fallback must not fail again). */
  onGpuCheckpoint(stage: Exclude<GpuFaultStage, 'device-lost'>, step: number): void {
    if (this.gpuFault === 'device-lost' && stage === 'adaptation' && step > 0) {
      this.gpuFault = null;
      this.effects.destroyGpuDevice(); // no throw: what follows must notice the loss the way a real one is noticed
      return;
    }
    if (this.gpuFault === stage && step > 0) {
      this.gpuFault = null;
      throw injectedFault(stage);
    }
  }
}
