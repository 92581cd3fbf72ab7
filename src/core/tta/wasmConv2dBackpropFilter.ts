import * as tf from '@tensorflow/tfjs-core';

type Attrs = { strides: number | [number, number]; pad: 'valid' | 'same' | number | unknown; dataFormat?: string; dimRoundingMode?: string; filterShape: [number, number, number, number] };

/**
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so the gradient of a
 * convolution's weights (normalizer adaptation) throws there. It does have a native
 * `Conv3DBackpropFilterV2`; a 2D convolution is a 3D one with depth 1, so this kernel views
 * x and dy as [N, 1, H, W, C] (same buffers, no copy) and delegates. Measured against the
 * cpu backend: exact for stride 1, wrong for stride 2 (the native 3D kernel's bug), so
 * strided filter gradients are refused with an error rather than computed wrongly; Attune
 * only trains stride-1 convolutions (the normalizers). Idempotent; no-op without wasm.
 */
export function registerWasmConv2dBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (!conv3d) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
      if (dataFormat && dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only NHWC, got ${dataFormat}`);
      if (dimRoundingMode != null) throw new Error('Conv2DBackpropFilter (wasm): dimRoundingMode is not supported');
      if (typeof pad !== 'string' && typeof pad !== 'number') throw new Error('Conv2DBackpropFilter (wasm): explicit padding is not supported');
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      if (sh !== 1 || sw !== 1) {
        throw new Error(`Conv2DBackpropFilter (wasm): stride ${sh}×${sw} is not supported (only stride 1 is exact); use the cpu or webgpu backend`);
      }
      const as5d = (t: tf.TensorInfo): tf.TensorInfo => ({ ...t, shape: [t.shape[0], 1, t.shape[1], t.shape[2], t.shape[3]] });
      const out = conv3d.kernelFunc({
        inputs: { x: as5d(x), dy: as5d(dy) },
        backend,
        attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] },
      }) as tf.TensorInfo;
      return { dataId: out.dataId, shape: [...filterShape], dtype: out.dtype };
    },
  });
}
