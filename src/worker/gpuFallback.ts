/**
 * What the worker does when WebGPU fails mid-run: device loss, out-of-memory and limit
 * errors (thrown by tfjs, or reported by the device's `lost` promise / `uncapturederror`
 * event, which the worker turns into a GpuFailure at the next checkpoint). The run falls
 * back to wasm and is redone there from the start, so a mask never mixes two backends.
 * Pure control flow, no tfjs import: unit-tested in Node with an injected failing backend.
 */

/** A GPU failure the worker noticed itself (device lost, uncaptured error, injected fault). */
export class GpuFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuFailure';
  }
}

/**
 * Messages of the errors WebGPU and tfjs-backend-webgpu raise when the device is gone or
 * a buffer cannot be made: "Device is lost", "[Device] is lost" (mapAsync), GPUOutOfMemoryError,
 * "Out of memory", validation errors of buffers past maxBufferSize /
 * maxStorageBufferBindingSize, "Dispatch size exceeds WebGPU limits".
 */
const GPU_FAILURE = /device (is |was |has been )?lost|\bis lost\b|out ?of ?memory|GPUOutOfMemory|GPUValidationError|GPUDevice|GPUBuffer|mapAsync|maxBufferSize|maxStorageBufferBindingSize|exceeds (the )?WebGPU|WebGPU (limit|maximum)/i;

export function isGpuFailure(error: unknown): boolean {
  if (error instanceof GpuFailure) return true;
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null && 'message' in error)) return false;
  const { name, message } = error as { name?: string; message?: string };
  return GPU_FAILURE.test(`${name ?? ''}: ${message ?? ''}`);
}

export interface FallbackHooks {
  /** True while the run is on WebGPU (a failure on wasm is a real error, not a GPU one). */
  onGpu: () => boolean;
  /** Switches to wasm and reloads the model there; `reason` says what failed. */
  fallBack: (reason: string) => Promise<void>;
}

/**
 * Runs `attempt`; if it fails with a GPU failure while on WebGPU, falls back (once) and
 * runs it again from the start. Any other error (cancel, bad input, a bug) passes through.
 */
export async function runWithGpuFallback<T>(attempt: () => Promise<T>, hooks: FallbackHooks): Promise<{ value: T; fellBackBecause: string | null }> {
  try {
    return { value: await attempt(), fellBackBecause: null };
  } catch (error) {
    if (!hooks.onGpu() || !isGpuFailure(error)) throw error;
    const reason = (error as Error).message || String(error);
    await hooks.fallBack(reason);
    return { value: await attempt(), fellBackBecause: reason };
  }
}

/** The notice the user sees after a fallback. */
export function fallbackNotice(reason: string): string {
  return `WebGPU failed during this run (${reason}). Attune switched to WebAssembly (wasm) and ran it again from the start there; the results below are from wasm, and later runs stay on wasm.`;
}

/**
 * A test hook (`?gpuFault=` in the app): where the first WebGPU run throws a GPU-like
 * failure ('inference', 'adaptation'; 'skull-strip': the raw-study worker's MindGrab), or
 * 'device-lost': the worker destroys the real GPUDevice during adaptation and WebGPU's own
 * loss reporting has to be noticed.
 */
export type GpuFaultStage = 'inference' | 'adaptation' | 'skull-strip' | 'device-lost';

export function injectedFault(stage: GpuFaultStage): GpuFailure {
  return new GpuFailure(`GPUDevice was lost during ${stage} (injected by ?gpuFault=${stage} for testing)`);
}
