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
