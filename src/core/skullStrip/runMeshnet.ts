import * as tf from '@tensorflow/tfjs-core';
import { conv3dByDepthShift, depthTaps } from './depthShiftedConv.ts';
import { planMeshnetChunks, type MeshnetLimits } from './meshnetChunkPlan.ts';
import type { Activation, MeshnetModel } from './meshnetModel.ts';

/**
 * `maxChunkBytes`: rough cap on the tensors alive at once (bytes): the volume goes through in
 * chunks of depth slices (plus the 2·dilation halo each 3×3×3 tap needs). Activations live in
 * JS arrays between layers, so the backend (wasm's 4 GiB heap) only ever holds one chunk.
 * `maxDispatchPerDimension`, `maxBindingBytes`: the WebGPU device's limits, which the worker
 * passes on WebGPU (wasm and cpu have none): chunks are made small enough that every kernel
 * fits them (`planMeshnetChunks`). The result does not depend on the chunking.
 */
export interface MeshnetRunOptions extends MeshnetLimits {
  /** After every chunk: chunks done, chunks in the whole pass. */
  onProgress?: (done: number, total: number) => void;
  /** Before every chunk; throw from it to cancel (nothing is left allocated). */
  checkCancelled?: () => void;
}

export { DEFAULT_MAX_CHUNK_BYTES } from './meshnetChunkPlan.ts';
const NORM_EPSILON = 1e-5;

/**
 * The forward pass of a MeshNet over one volume: `input` is [D, H, W] (W fastest, one
 * channel), the result the probability of class 1 (MindGrab: brain) per voxel, same layout.
 * Each 3×3×3 convolution runs as depth-shifted batched Conv2D over chunks of slices; a
 * `_gn` layer's per-channel mean/variance is gathered over the whole volume while its
 * chunks are computed, then the volume is normalised and activated in place.
 */
export async function runMeshnet(model: MeshnetModel, input: Float32Array, dims: readonly [number, number, number], options: MeshnetRunOptions = {}): Promise<Float32Array> {
  const [D, H, W] = dims;
  const plane = H * W;
  if (input.length !== D * plane * model.inChannels) throw new Error(`runMeshnet: ${input.length} values for ${dims.join('×')}×${model.inChannels}`);
  const widest = Math.max(model.inChannels, ...model.convs.map((c) => c.cout));
  const plan = planMeshnetChunks({ dims, inChannels: model.inChannels, convs: model.convs, head: model.head }, options);
  let done = 0;
  const step = () => options.onProgress?.(++done, plan.steps);

  const buffers = [new Float32Array(D * plane * widest), new Float32Array(D * plane * widest)];
  let current = input;
  let cin = model.inChannels;
  for (const [l, conv] of model.convs.entries()) {
    const out = buffers[l % 2];
    const taps = depthTaps(conv.kernel, conv.cin, conv.cout);
    const sums = new Float64Array(conv.cout);
    const squares = new Float64Array(conv.cout);
    try {
      const n = plan.convSlices[l];
      const d = conv.dilation;
      for (let d0 = 0; d0 < D; d0 += n) {
        options.checkCancelled?.();
        const d1 = Math.min(D, d0 + n);
        const slab = tf.tensor4d(slabOf(current, D, plane * cin, d0 - d, d1 + d), [d1 - d0 + 2 * d, H, W, cin]);
        const y = conv3dByDepthShift(slab, taps, d);
        slab.dispose();
        const values = (await y.data()) as Float32Array;
        y.dispose();
        out.set(values, d0 * plane * conv.cout);
        if (conv.normalise) accumulate(values, conv.cout, sums, squares);
        step();
      }
    } finally {
      taps.forEach((t) => t.dispose());
    }
    const view = out.subarray(0, D * plane * conv.cout);
    if (conv.normalise || conv.activation !== 'linear') {
      const count = D * plane;
      const mean = conv.normalise ? Array.from(sums, (s) => s / count) : null;
      const invStd = conv.normalise ? Array.from(squares, (q, c) => 1 / Math.sqrt(Math.max(0, q / count - mean![c] ** 2) + NORM_EPSILON)) : null;
      await finishInPlace(view, conv.cout, plan.pointwiseVoxels * conv.cout, mean && invStd ? { mean, invStd } : null, conv.activation, options, step);
    }
    current = view;
    cin = conv.cout;
  }
  return classProbability(model, current, D * plane, plan.headVoxels, options, step);
}

/** Slices [a, b) of a volume of D slices (`slice` values each), zeros where the range leaves it. */
function slabOf(volume: Float32Array, D: number, slice: number, a: number, b: number): Float32Array {
  if (a >= 0 && b <= D) return volume.subarray(a * slice, b * slice);
  const slab = new Float32Array((b - a) * slice);
  const lo = Math.max(a, 0), hi = Math.min(b, D);
  if (hi > lo) slab.set(volume.subarray(lo * slice, hi * slice), (lo - a) * slice);
  return slab;
}

function accumulate(values: Float32Array, channels: number, sums: Float64Array, squares: Float64Array): void {
  for (let c = 0; c < channels; c++) {
    let s = 0, q = 0;
    for (let p = c; p < values.length; p += channels) {
      const v = values[p];
      s += v;
      q += v * v;
    }
    sums[c] += s;
    squares[c] += q;
  }
}

/** tfjs-layers' 'gelu' (the exact one, with erf). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))));
}

async function finishInPlace(
  values: Float32Array,
  channels: number,
  chunk: number,
  norm: { mean: number[]; invStd: number[] } | null,
  activation: Activation,
  options: MeshnetRunOptions,
  step: () => void,
): Promise<void> {
  for (let p = 0; p < values.length; p += chunk) {
    options.checkCancelled?.();
    const part = values.subarray(p, Math.min(values.length, p + chunk));
    const y = tf.tidy(() => {
      let x: tf.Tensor = tf.tensor2d(part, [part.length / channels, channels]);
      if (norm) x = tf.mul(tf.sub(x, tf.tensor1d(norm.mean)), tf.tensor1d(norm.invStd));
      return activation === 'gelu' ? gelu(x) : x;
    });
    part.set((await y.data()) as Float32Array);
    y.dispose();
    step();
  }
}

async function classProbability(model: MeshnetModel, features: Float32Array, voxels: number, chunkVoxels: number, options: MeshnetRunOptions, step: () => void): Promise<Float32Array> {
  const { cin, classes } = model.head;
  if (classes < 2) throw new Error(`runMeshnet: the classifier has ${classes} class(es)`);
  const kernel = tf.tensor2d(model.head.kernel, [cin, classes]);
  const bias = tf.tensor1d(model.head.bias);
  const out = new Float32Array(voxels);
  try {
    for (let v0 = 0; v0 < voxels; v0 += chunkVoxels) {
      options.checkCancelled?.();
      const n = Math.min(voxels, v0 + chunkVoxels) - v0;
      const p = tf.tidy(() => {
        const x = tf.tensor2d(features.subarray(v0 * cin, (v0 + n) * cin), [n, cin]);
        const logits = tf.add(tf.matMul(x, kernel), bias);
        return tf.slice(tf.softmax(logits), [0, 1], [n, 1]);
      });
      out.set((await p.data()) as Float32Array, v0);
      p.dispose();
      step();
    }
  } finally {
    kernel.dispose();
    bias.dispose();
  }
  return out;
}
