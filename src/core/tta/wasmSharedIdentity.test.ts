import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { registerWasmSharedIdentity } from './wasmSharedIdentity.ts';

describe('registerWasmSharedIdentity', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm'); // registers it
    registerWasmSharedIdentity(); // idempotent
  });

  it('a clone shares the buffer instead of copying it, and outlives its source', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    const b = tf.clone(a);
    expect(tf.memory().numDataBuffers).toBe(before);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.memory().numDataBuffers).toBe(before - 1);
  });

  it('gradients that save tensors stay right (the engine clones what it saves)', () => {
    const x = tf.tensor2d([[1, -2], [3, 0.5]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, 0.1), tf.square(t))))(x);
    // d/dx [lrelu(x) x²]: x>0 → 3x²; x<0 → 0.1·3x²
    expect(Array.from(g.dataSync())).toEqual([3, 0.1 * 12, 27, 0.75].map((v) => Math.fround(v)));
  });

  it('a variable snapshot keeps its value after the variable is reassigned', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const snap = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    expect(Array.from(snap.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
  });
});
