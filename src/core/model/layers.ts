import * as tf from '@tensorflow/tfjs-core';

/** Names of the convolution+BN layers in forward order (models/README.md §3). */
export function convBnLayerNames(): string[] {
  const names: string[] = [];
  for (const b of ['enc0', 'down1', 'down2', 'down3', 'bottleneck']) names.push(`${b}_conv1`, `${b}_conv2`);
  for (const l of [4, 3, 2, 1]) names.push(`up${l}_tconv`, `up${l}_conv1`, `up${l}_conv2`);
  return names;
}

/**
 * 3×3 convolution with PyTorch's symmetric padding of 1. At stride 1 that is tfjs's 'same'
 * (no padded copy of the input); at stride 2 tfjs's 'same' pads asymmetrically, which would
 * shift every feature map, so the input is padded explicitly and convolved 'valid'.
 * `strides` is always passed explicitly: fused conv2d's gradient needs it.
 */
export function conv3x3(x: tf.Tensor4D, kernel: tf.Tensor4D, stride: 1 | 2, bias?: tf.Tensor1D): tf.Tensor4D {
  const y =
    stride === 1
      ? tf.conv2d(x, kernel, [1, 1], 'same')
      : tf.conv2d(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), kernel, [stride, stride], 'valid');
  return bias ? tf.add(y, bias) : y;
}

/**
 * 2×2 stride-2 transposed convolution (PyTorch ConvTranspose2d(k=2, s=2)), kernel
 * [2, 2, out, in]. Its windows do not overlap, so it is one matrix product per pixel
 * (x · K → a 2×2 block of outputs) and a pixel shuffle: the same numbers as
 * tf.conv2dTranspose, but on the fast matmul path, with cheap gradients (wasm's
 * Conv2DBackpropInput, which conv2dTranspose uses, is a slow reference loop).
 */
export function tconv2x2(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, cin] = x.shape;
  const cout = kernel.shape[2];
  const k = tf.reshape(tf.transpose(kernel, [3, 0, 1, 2]), [cin, 4 * cout]); // [in, (a, b, out)]
  const y = tf.reshape(tf.matMul(tf.reshape(x, [n * h * w, cin]), k), [n, h, w, 2, 2, cout]);
  return tf.reshape(tf.transpose(y, [0, 1, 3, 2, 4, 5]), [n, 2 * h, 2 * w, cout]);
}

/**
 * Inference-mode batch norm as one per-channel scale and shift, so the gradient w.r.t.
 * gamma/beta and the input is a plain multiply-add on every backend.
 */
export function batchNormInference(
  x: tf.Tensor4D,
  p: { gamma: tf.Tensor1D; beta: tf.Tensor1D; mean: tf.Tensor1D; variance: tf.Tensor1D },
  epsilon: number,
): tf.Tensor4D {
  const scale = tf.mul(p.gamma, tf.rsqrt(tf.add(p.variance, epsilon)));
  const shift = tf.sub(p.beta, tf.mul(p.mean, scale));
  return tf.add(tf.mul(x, scale), shift);
}

/** An inference-mode BN folded into what precedes it: y = z·scale + shift, per channel. */
export interface FoldedBn {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

export function foldBatchNorm(p: { gamma: tf.Tensor1D; beta: tf.Tensor1D; mean: tf.Tensor1D; variance: tf.Tensor1D }, epsilon: number): FoldedBn {
  const scale = tf.mul(p.gamma, tf.rsqrt(tf.add(p.variance, epsilon))) as tf.Tensor1D;
  return { scale, shift: tf.sub(p.beta, tf.mul(p.mean, scale)) as tf.Tensor1D };
}

/**
 * conv3x3 → BN → LeakyReLU as one fused convolution (BN folded into the kernel and a bias):
 * the same numbers as the three steps, one kernel instead of four passes over the feature
 * map. Inference only: it has no BN input to measure.
 */
export function conv3x3BnLeaky(x: tf.Tensor4D, kernel: tf.Tensor4D, stride: 1 | 2, bn: FoldedBn, slope: number): tf.Tensor4D {
  return tf.fused.conv2d({
    x: stride === 1 ? x : tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]),
    filter: tf.mul(kernel, bn.scale) as tf.Tensor4D,
    strides: [stride, stride],
    pad: stride === 1 ? 'same' : 'valid',
    bias: bn.shift,
    activation: 'leakyrelu',
    leakyreluAlpha: slope,
  });
}

/** tconv2x2 → BN → LeakyReLU with BN folded into the matrix product (see tconv2x2). */
export function tconv2x2BnLeaky(x: tf.Tensor4D, kernel: tf.Tensor4D, bn: FoldedBn, slope: number): tf.Tensor4D {
  const [n, h, w, cin] = x.shape;
  const cout = kernel.shape[2];
  const k = tf.reshape(tf.transpose(kernel, [3, 0, 1, 2]), [cin, 4 * cout]); // columns (a, b, out)
  const y = tf.fused.matMul({
    a: tf.reshape(x, [n * h * w, cin]),
    b: tf.mul(k, tf.tile(bn.scale, [4])),
    bias: tf.tile(bn.shift, [4]),
    activation: 'leakyrelu',
    leakyreluAlpha: slope,
  });
  return tf.reshape(tf.transpose(tf.reshape(y, [n, h, w, 2, 2, cout]), [0, 1, 3, 2, 4, 5]), [n, 2 * h, 2 * w, cout]);
}
