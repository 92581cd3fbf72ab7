import * as tf from '@tensorflow/tfjs-core';

type ConvAttrs = { strides: number | [number, number]; pad: unknown; dataFormat?: string; dilations?: number | [number, number]; dimRoundingMode?: string };

const pair = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

/** Inserts s−1 zeros between neighbouring rows/columns (the input-gradient of a strided conv). */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [n, h * sh, w * sw, c]), [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]) as tf.Tensor4D;
}

/**
 * The input gradient of a 'valid' NHWC convolution as a forward convolution: dilate dy by
 * the stride, pad it by k−1 (plus the rows/columns the forward pass never reached), and
 * convolve with the kernel rotated 180° and its in/out channels swapped. Same numbers as
 * `Conv2DBackpropInput`, but it runs on the backends' fast forward-conv path: measured on
 * tfjs-backend-wasm 4.22, Conv2DBackpropInput took 12.9 s of one 8-slice BN-adaptation step
 * against 1.4 s for all forward convolutions (see BENCHMARKS.md).
 */
export function convInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: readonly number[], strides: [number, number]): tf.Tensor4D {
  const [sh, sw] = strides;
  const [, h, w] = inputShape;
  const [kh, kw] = filter.shape;
  const [, ho, wo] = dy.shape;
  const extraH = h - ((ho - 1) * sh + kh);
  const extraW = w - ((wo - 1) * sw + kw);
  const padded = tf.pad(dilate(dy, sh, sw), [[0, 0], [kh - 1, kh - 1 + extraH], [kw - 1, kw - 1 + extraW], [0, 0]]);
  const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(padded, rotated as tf.Tensor4D, 1, 'valid');
}

/**
 * Replaces tfjs's Conv2D gradient with one whose input part is a forward convolution for
 * 'valid' NHWC convolutions (`convInputGradient`) and stride-1 'same' ones (Attune's two
 * kinds: stride-2 convolutions are padded explicitly); anything else keeps the
 * original kernels. Each input's gradient stays lazy, so BN adaptation never computes
 * filter gradients. Call once after gradients are registered (worker and Node setup).
 */
export function registerConvGradients(): void {
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (grad, saved, attrs) => {
      const dy = grad as tf.Tensor4D;
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { strides, pad, dataFormat = 'NHWC', dilations, dimRoundingMode } = attrs as unknown as ConvAttrs;
      if (pair(dilations).some((d) => d !== 1)) throw new Error('conv2d gradient: dilations > 1 are not supported');
      const s = pair(strides);
      const fast = pad === 'valid' && dataFormat === 'NHWC';
      // 'same' at stride 1 with an odd kernel pads (k−1)/2 on every side: its input gradient
      // is the 'same' convolution of dy with the rotated, channel-swapped kernel.
      const sameOdd = pad === 'same' && dataFormat === 'NHWC' && s[0] === 1 && s[1] === 1 && filter.shape[0] % 2 === 1 && filter.shape[1] % 2 === 1;
      return {
        x: () =>
          fast
            ? convInputGradient(dy, filter, x.shape, s)
            : sameOdd
              ? tf.conv2d(dy, tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, 'same')
              : tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape } as never) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat, dimRoundingMode, filterShape: filter.shape } as never) as tf.Tensor,
      };
    },
  });
}
