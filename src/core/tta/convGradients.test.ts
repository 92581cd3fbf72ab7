import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { convInputGradient, registerConvGradients } from './convGradients.ts';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('conv input gradient as a forward convolution', () => {
  beforeAll(() => tf.setBackend('cpu'));

  for (const [h, w, k, s] of [[9, 10, 3, 1], [10, 10, 3, 2], [9, 11, 3, 2], [16, 12, 1, 1], [8, 8, 2, 2]]) {
    it(`equals Conv2DBackpropInput (${h}×${w}, kernel ${k}, stride ${s})`, () => {
      const filter = tf.randomNormal([k, k, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
      const ho = Math.floor((h - k) / s) + 1, wo = Math.floor((w - k) / s) + 1;
      const dy = tf.randomNormal([2, ho, wo, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
      const ref = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [s, s], pad: 'valid', dataFormat: 'NHWC', inputShape: [2, h, w, 3] } as never) as tf.Tensor;
      const got = convInputGradient(dy, filter, [2, h, w, 3], [s, s]);
      expect(got.shape).toEqual([2, h, w, 3]);
      expect(maxDiff(got, ref)).toBeLessThan(1e-4);
    });
  }

  it('registered, tf.grads of a padded network gives the same x and filter gradients as before', () => {
    const x = tf.randomNormal([2, 12, 10, 3], 0, 1, 'float32', 4);
    const f = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 5);
    const g = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(tf.pad(a as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]]), b as tf.Tensor4D, 2, 'valid')));
    const before = tf.grads(g)([x, f]);
    registerConvGradients();
    const after = tf.grads(g)([x, f]);
    expect(maxDiff(before[0], after[0])).toBeLessThan(1e-4);
    expect(maxDiff(before[1], after[1])).toBeLessThan(1e-3);
  });

  for (const [kh, kw] of [[3, 3], [5, 3]]) {
    it(`registered, a stride-1 'same' convolution's input gradient equals Conv2DBackpropInput (kernel ${kh}×${kw})`, () => {
      registerConvGradients();
      const x = tf.randomNormal([2, 9, 7, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      const f = tf.randomNormal([kh, kw, 3, 4], 0, 1, 'float32', 7) as tf.Tensor4D;
      const dy = tf.randomNormal([2, 9, 7, 4], 0, 1, 'float32', 8);
      // d/dx Σ conv(x)·dy = Conv2DBackpropInput(dy)
      const got = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f, 1, 'same'), dy)))(x);
      const ref = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: x.shape } as never) as tf.Tensor;
      expect(maxDiff(got, ref)).toBeLessThan(1e-4);
    });
  }
});
