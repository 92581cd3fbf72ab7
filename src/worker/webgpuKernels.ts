import * as tf from '@tensorflow/tfjs-core';

/*
 * Two tfjs-backend-webgpu 4.22 kernels fail on what adaptation asks of them, and fail
 * silently: WebGPU reports an invalid pipeline as a console warning and the op yields
 * zeros, so the alignment loss read 0 and adaptation went nowhere (caught by the e2e test
 * that compares the worker's loss with tfjs's cpu backend):
 * - AddN binds one storage buffer per input, but WebGPU allows only
 *   `maxStorageBuffersPerShaderStage` (8 by default) per shader: the KL loss sums one term
 *   per BN layer (22). Fixed by adding in groups.
 * - PadV2 of a rank-5/6 tensor emits WGSL that indexes a `vec6`, which does not exist:
 *   the strided-conv input gradient (core/tta/convGradients) pads a 6D view. Fixed by
 *   padding one axis at a time through a rank-3 view [outer, axis, inner].
 * Both wrappers call the backend's own kernels, so the numbers are the backend's.
 */

type KernelArgs = { inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[]; backend: WebGpuLike; attrs?: Record<string, unknown> };
type WebGpuLike = { disposeData(dataId: unknown): unknown; device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } };
type Kernel = (args: KernelArgs) => tf.TensorInfo;

let patched = false;

export function patchWebGpuKernels(): void {
  if (patched) return;
  const addN = kernel('AddN');
  const pad = kernel('PadV2');
  const reshape = kernel('Reshape');
  replace('AddN', (args) => addInGroups(args, addN));
  replace('PadV2', (args) => padAxisByAxis(args, pad, reshape));
  patched = true;
}

function kernel(name: string): Kernel {
  const k = tf.getKernel(name, 'webgpu');
  if (!k) throw new Error(`tfjs-backend-webgpu has no ${name} kernel`);
  return k.kernelFunc as unknown as Kernel;
}

function replace(name: string, kernelFunc: Kernel): void {
  const k = tf.getKernel(name, 'webgpu')!;
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ ...k, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

function addInGroups({ inputs, backend }: KernelArgs, addN: Kernel): tf.TensorInfo {
  const tensors = inputs as tf.TensorInfo[];
  // One storage buffer is the output.
  const max = Math.max(2, (backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
  if (tensors.length <= max) return addN({ inputs: tensors, backend });
  const temporaries: tf.TensorInfo[] = [];
  let level = tensors;
  while (level.length > max) {
    const next: tf.TensorInfo[] = [];
    for (let i = 0; i < level.length; i += max) {
      const group = level.slice(i, i + max);
      if (group.length === 1) next.push(group[0]);
      else {
        const sum = addN({ inputs: group, backend });
        temporaries.push(sum);
        next.push(sum);
      }
    }
    level = next;
  }
  const result = addN({ inputs: level, backend });
  for (const t of temporaries) backend.disposeData(t.dataId);
  return result;
}

function padAxisByAxis({ inputs, backend, attrs }: KernelArgs, pad: Kernel, reshape: Kernel): tf.TensorInfo {
  const x = (inputs as Record<string, tf.TensorInfo>).x;
  const { paddings, constantValue } = attrs as { paddings: [number, number][]; constantValue: number };
  if (x.shape.length <= 4) return pad({ inputs: { x }, backend, attrs });
  const temporaries: tf.TensorInfo[] = [];
  let current = x;
  let shape = [...x.shape];
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const view = reshape({ inputs: { x: current }, backend, attrs: { shape: [outer, shape[axis], inner] } });
    const padded = pad({ inputs: { x: view }, backend, attrs: { paddings: [[0, 0], [before, after], [0, 0]], constantValue } });
    shape = shape.map((n, a) => (a === axis ? n + before + after : n));
    const next = reshape({ inputs: { x: padded }, backend, attrs: { shape } });
    temporaries.push(view, padded);
    if (current !== x) temporaries.push(current);
    current = next;
  });
  if (current === x) return reshape({ inputs: { x }, backend, attrs: { shape } });
  for (const t of temporaries) backend.disposeData(t.dataId);
  return current;
}
