import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient functions; adaptation needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import { registerConvGradients, registerWasmConv2dBackpropFilter, registerWasmSharedIdentity } from '../core/tta/index.ts';
import { limitsFor, type MemoryLimits } from '../core/memory/index.ts';
import type { MeshnetLimits } from '../core/skullStrip/index.ts';
import type { BackendName } from './protocol.ts';
import { patchWebGpuKernels } from './webgpuKernels.ts';

/**
 * The one place that picks a tfjs backend: WebGPU when the browser gives an adapter and
 * tfjs can start on it, else wasm (served by the app itself, never a CDN). Returns which,
 * and why, in words a user can read.
 */
export async function pickBackend(force?: BackendName): Promise<{ backend: BackendName; reason: string }> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  registerWasmConv2dBackpropFilter();
  registerWasmSharedIdentity();
  registerConvGradients();
  let reason: string;
  if (force === 'wasm') reason = 'WebGPU was switched off for this session';
  else {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown | null> } }).gpu;
    if (!gpu) reason = 'this browser has no WebGPU (navigator.gpu is missing)';
    else {
      const adapter = await gpu.requestAdapter().catch(() => null);
      if (!adapter) reason = 'WebGPU gave no adapter (no usable GPU or it is blocklisted)';
      else if (await tf.setBackend('webgpu').catch(() => false)) {
        await tf.ready();
        patchWebGpuKernels();
        return { backend: 'webgpu', reason: 'WebGPU adapter available' };
      } else reason = 'tfjs could not start on the WebGPU adapter';
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error(`no tfjs backend could start (WebGPU: ${reason}; wasm failed too)`);
  await tf.ready();
  return { backend: 'wasm', reason };
}

/** The GPUDevice tfjs runs on (tfjs-backend-webgpu keeps it on the backend object). */
interface WebGpuDeviceLike {
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeWorkgroupsPerDimension: number };
  lost: Promise<{ reason?: string; message: string }>;
  destroy(): void;
  addEventListener(type: 'uncapturederror', listener: (e: { error: { message: string; constructor: { name: string } } }) => void): void;
}

function webgpuDevice(): WebGpuDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return ((tf.backend() as unknown as { device?: WebGpuDeviceLike }).device) ?? null;
}

/**
 * Watches the WebGPU device for what tfjs does not turn into exceptions: the device being
 * lost and uncaptured errors (out-of-memory, buffers past a limit — tfjs then computes
 * on invalid buffers and returns zeros). `onFailure` gets the message; the worker makes it
 * a GpuFailure at its next checkpoint.
 */
export function watchGpuDevice(onFailure: (message: string) => void): void {
  const device = webgpuDevice();
  if (!device) return;
  void device.lost.then((info) => onFailure(`GPUDevice was lost${info.reason ? ` (${info.reason})` : ''}: ${info.message}`));
  device.addEventListener('uncapturederror', (e) => onFailure(`${e.error.constructor?.name ?? 'GPUError'}: ${e.error.message}`));
}

/** Test hook: destroys tfjs's GPUDevice, which WebGPU then reports as lost (a real loss, not a thrown imitation). */
export function destroyGpuDevice(): void {
  webgpuDevice()?.destroy();
}

/** The current backend's memory limits (core/memory decides what fits). */
export function currentMemoryLimits(): MemoryLimits {
  const device = webgpuDevice();
  return device ? limitsFor('webgpu', device.limits) : limitsFor('wasm');
}

/**
 * The limits every kernel MindGrab launches must fit on the current backend (core's
 * `planMeshnetChunks`): on WebGPU the device's workgroups per dispatch dimension and the
 * largest buffer one binding may hold (tfjs binds each tensor whole); none on wasm.
 */
export function currentKernelLimits(): Omit<MeshnetLimits, 'maxChunkBytes'> {
  const device = webgpuDevice();
  if (!device) return {};
  const { maxComputeWorkgroupsPerDimension, maxStorageBufferBindingSize, maxBufferSize } = device.limits;
  return { maxDispatchPerDimension: maxComputeWorkgroupsPerDimension, maxBindingBytes: Math.min(maxStorageBufferBindingSize, maxBufferSize) };
}

/** After a GPU failure: everything from here on runs on wasm. */
export async function switchToWasm(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm could not start after WebGPU failed');
  await tf.ready();
  // A lost device cannot be used again; drop the backend so nothing falls back onto it.
  try {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
  } catch {
    // disposing a lost device's buffers may fail; nothing depends on it any more
  }
}
