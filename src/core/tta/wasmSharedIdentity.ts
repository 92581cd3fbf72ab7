import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm 4.22's `Identity` copies the buffer, and the engine runs Identity on
 * every tensor a kernel saves for its gradient (`engine.clone`), so an adaptation step on
 * wasm held a second copy of almost every activation (measured: 2.1 of 3.1 GiB peak on a
 * real case, BENCHMARKS.md). Tensors are immutable, so an identity can share the buffer
 * and count a reference, as the wasm backend's own Reshape and the cpu/webgpu backends'
 * Identity do. Idempotent; no-op without wasm.
 */
export function registerWasmSharedIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || (current.kernelFunc as { shares?: boolean }).shares) return;
  const kernelFunc = ({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return current.kernelFunc({ inputs, backend, attrs: {} } as never);
    (backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  Object.assign(kernelFunc, { shares: true });
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}
