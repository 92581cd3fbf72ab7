import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { registerConvGradients } from '../core/tta/convGradients.ts';
import { registerWasmSharedIdentity } from '../core/tta/wasmSharedIdentity.ts';

export type NodeBackend = 'cpu' | 'wasm';

/**
 * Registers tfjs's gradient functions (adaptation needs them). Node cannot load tfjs-core's
 * ESM `register_all_gradients` (it uses directory imports); tfjs-layers' CommonJS bundle
 * carries the same gradient set and registers it into the shared global registry.
 */
function registerGradients(): void {
  if (!tf.getGradient('Conv2D')) createRequire(import.meta.url)('@tensorflow/tfjs-layers');
}

/**
 * Selects a tfjs backend in Node: 'cpu' (reference, exact, slow) or 'wasm' (fast; its wasm
 * binaries are loaded from the installed package, never from the network), with gradients.
 */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(join(dist, 'dist') + sep); // a file-system prefix: Node reads the .wasm with fs
    registerWasmSharedIdentity();
  }
  registerGradients();
  registerConvGradients();
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" could not be initialised`);
  await tf.ready();
}
