import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { registerWasmConv2dBackpropFilter } from './wasmConv2dBackpropFilter.ts';

/** Weight and input gradients of a conv on wasm (with the registered kernel) equal the cpu backend's. */
function convGrads(stride: 1 | 2, pad: 'valid' | 'same') {
  const x = tf.randomNormal([2, 9, 10, 3], 0, 1, 'float32', 1);
  const w = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2);
  const dy = tf.randomNormal(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad).shape, 0, 1, 'float32', 3);
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy));
  const [gx, gw] = tf.grads(f)([x, w]);
  return { gx: gx.dataSync(), gw: gw.dataSync() };
}

describe('wasm Conv2DBackpropFilter', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('fills a real gap: tfjs-backend-wasm ships no such kernel', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });

  it('is registered, and its gradients equal the cpu backend for stride 1, valid and same', async () => {
    registerWasmConv2dBackpropFilter();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    for (const [stride, pad] of [[1, 'valid'], [1, 'same']] as const) {
      await tf.setBackend('wasm');
      const wasm = convGrads(stride, pad);
      await tf.setBackend('cpu');
      const cpu = convGrads(stride, pad);
      for (const k of ['gx', 'gw'] as const) {
        expect(wasm[k].length).toBe(cpu[k].length);
        const maxDiff = Math.max(...Array.from(wasm[k], (v, i) => Math.abs(v - cpu[k][i])));
        expect(maxDiff, `${k} stride ${stride} ${pad}`).toBeLessThan(1e-4);
      }
    }
  });

  it('refuses strided filter gradients instead of returning wrong numbers', async () => {
    registerWasmConv2dBackpropFilter();
    await tf.setBackend('wasm');
    expect(() => convGrads(2, 'valid')).toThrow(/stride 2×2 is not supported/);
  });
});
