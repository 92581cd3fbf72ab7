import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../synthetic/random.ts';
import { niftiOf } from '../testing/niftiFixtures.ts';
import { applyToPoint, gridOf, maskDice } from '../registration/index.ts';
import { readNifti } from '../volume/index.ts';
import {
  conv3dByDepthShift, cropTo, depthTaps, fillHoles, gelu, headBox, largestComponent, mindgrabGrid, parseMeshnet, quantileOf, runMeshnet,
  isAlreadyStripped, stripSkull, thresholdMask, uncropFrom, type MeshnetModel,
} from './index.ts';
import { nonZeroBorderFraction } from '../validation/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const random = (n: number, seed: number, scale = 1) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
};

/** A layers-model model.json + weight bytes for a chain of 3×3×3 convs (+ gelu) and a 1×1×1 head. */
function layersModel(convs: { name: string; cin: number; cout: number; dilation: number; gelu: boolean }[], classes: number, seed: number, extra: object[] = []) {
  const layers: object[] = [{ class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, 8, 8, 8, convs[0].cin], dtype: 'float32' }, inbound_nodes: [] }];
  const weights: { name: string; shape: number[]; dtype: string }[] = [];
  const values: Float32Array[] = [];
  let prev = 'input';
  const conv = (name: string, k: number, cin: number, cout: number, dilation: number, bias: boolean) => {
    layers.push({
      class_name: 'Conv3D',
      config: { name, filters: cout, kernel_size: [k, k, k], strides: [1, 1, 1], dilation_rate: [dilation, dilation, dilation], padding: 'same', data_format: 'channels_last', activation: 'linear', use_bias: bias },
      inbound_nodes: [[[prev, 0, 0, {}]]],
    });
    prev = name;
    weights.push({ name: `${name}/kernel`, shape: [k, k, k, cin, cout], dtype: 'float32' });
    values.push(random(k * k * k * cin * cout, seed++, 0.5));
    if (bias) {
      weights.push({ name: `${name}/bias`, shape: [cout], dtype: 'float32' });
      values.push(random(cout, seed++, 0.5));
    }
  };
  convs.forEach((c, n) => {
    conv(c.name, 3, c.cin, c.cout, c.dilation, false);
    if (c.gelu) {
      layers.push({ class_name: 'Activation', config: { name: `activation_${n}`, activation: 'gelu' }, inbound_nodes: [[[prev, 0, 0, {}]]] });
      prev = `activation_${n}`;
    }
  });
  conv('output', 1, convs[convs.length - 1].cout, classes, 1, true);
  layers.push(...extra);
  const json = { format: 'layers-model', modelTopology: { model_config: { class_name: 'Functional', config: { name: 'tiny', layers } } }, weightsManifest: [{ paths: ['model.bin'], weights }] };
  const total = values.reduce((s, v) => s + v.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const v of values) {
    all.set(v, o);
    o += v.length;
  }
  return { json, bytes: new Uint8Array(all.buffer) };
}

/** The same forward pass the straightforward way: tfjs's own conv3d over the whole volume. */
function referenceForward(model: MeshnetModel, input: Float32Array, [D, H, W]: [number, number, number]): Float32Array {
  return tf.tidy(() => {
    let x: tf.Tensor5D = tf.tensor5d(input, [1, D, H, W, model.inChannels]);
    for (const c of model.convs) {
      x = tf.conv3d(x, tf.tensor5d(c.kernel, [3, 3, 3, c.cin, c.cout]), 1, 'same', 'NDHWC', [c.dilation, c.dilation, c.dilation]);
      if (c.normalise) {
        const { mean, variance } = tf.moments(x, [1, 2, 3], true);
        x = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
      }
      if (c.activation === 'gelu') x = gelu(x) as tf.Tensor5D;
    }
    const logits = tf.add(tf.conv3d(x, tf.tensor5d(model.head.kernel, [1, 1, 1, model.head.cin, model.head.classes]), 1, 'same'), model.head.bias);
    return tf.slice(tf.softmax(logits), [0, 0, 0, 0, 1], [1, D, H, W, 1]).dataSync() as Float32Array;
  });
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('Conv3D as depth-shifted batched Conv2D', () => {
  for (const dilation of [1, 2, 3]) {
    it(`equals tf.conv3d on the cpu backend at dilation ${dilation} (non-cubic volume, zero padding at the depth ends)`, () => {
      const [D, H, W, cin, cout] = [9, 10, 11, 3, 4];
      const x = random(D * H * W * cin, 10 + dilation);
      const kernel = random(27 * cin * cout, 20 + dilation);
      const want = tf.tidy(() =>
        tf.conv3d(tf.tensor5d(x, [1, D, H, W, cin]), tf.tensor5d(kernel, [3, 3, 3, cin, cout]), 1, 'same', 'NDHWC', [dilation, dilation, dilation]).dataSync(),
      );
      // The slab: the volume with `dilation` zero slices before and after.
      const slab = new Float32Array((D + 2 * dilation) * H * W * cin);
      slab.set(x, dilation * H * W * cin);
      const taps = depthTaps(kernel, cin, cout);
      const got = tf.tidy(() => conv3dByDepthShift(tf.tensor4d(slab, [D + 2 * dilation, H, W, cin]), taps, dilation).dataSync());
      taps.forEach((t) => t.dispose());
      expect(got.length).toBe(want.length);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
      // and it is not trivially so: a wrong depth shift changes the result
      const wrong = tf.tidy(() => conv3dByDepthShift(tf.tensor4d(slab, [D + 2 * dilation, H, W, cin]), depthTaps(kernel.slice().reverse(), cin, cout), dilation).dataSync());
      expect(maxAbsDiff(wrong, want)).toBeGreaterThan(1e-2);
    });
  }

  it("equals tf.conv3d with MindGrab's own 15→15 kernels (dilations 2 and 1)", () => {
    const dir = '../shared/third_party/mindgrab';
    if (!existsSync(`${dir}/model.json`)) return; // the shared data is absent: the synthetic cases above still run
    const model = parseMeshnet(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}/model.bin`)));
    for (const c of model.convs.filter((c) => c.dilation <= 2).slice(0, 2)) {
      const [D, H, W] = [7, 12, 12];
      const x = random(D * H * W * c.cin, 5);
      const want = tf.tidy(() => tf.conv3d(tf.tensor5d(x, [1, D, H, W, c.cin]), tf.tensor5d(c.kernel, [3, 3, 3, c.cin, c.cout]), 1, 'same', 'NDHWC', [c.dilation, c.dilation, c.dilation]).dataSync());
      const slab = new Float32Array((D + 2 * c.dilation) * H * W * c.cin);
      slab.set(x, c.dilation * H * W * c.cin);
      const taps = depthTaps(c.kernel, c.cin, c.cout);
      const got = tf.tidy(() => conv3dByDepthShift(tf.tensor4d(slab, [D + 2 * c.dilation, H, W, c.cin]), taps, c.dilation).dataSync());
      taps.forEach((t) => t.dispose());
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    }
  });
});

describe('parseMeshnet', () => {
  it("reads MindGrab's model.json: 25 normalised 3×3×3 convs with GELU, dilations 16…1 five times, a 15→2 head", () => {
    const dir = '../shared/third_party/mindgrab';
    if (!existsSync(`${dir}/model.json`)) return;
    const model = parseMeshnet(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}/model.bin`)));
    expect(model.convs).toHaveLength(25);
    expect(model.convs.map((c) => c.dilation)).toEqual(Array.from({ length: 25 }, (_, i) => [16, 8, 4, 2, 1][i % 5]));
    expect(model.convs.every((c) => c.normalise && c.activation === 'gelu' && c.cout === 15)).toBe(true);
    expect([model.head.cin, model.head.classes]).toEqual([15, 2]);
  });

  it('reads the weights in manifest order and refuses what it cannot run', () => {
    const { json, bytes } = layersModel([{ name: 'a_gn', cin: 1, cout: 2, dilation: 2, gelu: true }, { name: 'b', cin: 2, cout: 3, dilation: 1, gelu: false }], 2, 1);
    const model = parseMeshnet(json, bytes);
    expect(model.convs.map((c) => [c.name, c.dilation, c.normalise, c.activation])).toEqual([['a_gn', 2, true, 'gelu'], ['b', 1, false, 'linear']]);
    const floats = new Float32Array(bytes.buffer);
    expect(Array.from(model.convs[1].kernel)).toEqual(Array.from(floats.subarray(27 * 2, 27 * 2 + 27 * 6)));
    expect(Array.from(model.head.bias)).toEqual(Array.from(floats.subarray(floats.length - 2)));
    expect(() => parseMeshnet(json, bytes.subarray(0, bytes.length - 4))).toThrow(/too short/);
    const pooled = layersModel([{ name: 'a', cin: 1, cout: 2, dilation: 1, gelu: false }], 2, 1, [{ class_name: 'MaxPooling3D', config: { name: 'pool' }, inbound_nodes: [[['output', 0, 0, {}]]] }]);
    expect(() => parseMeshnet(pooled.json, pooled.bytes)).toThrow(/follows the 1×1×1 classifier/);
  });
});

describe('runMeshnet (chunked, depth-shifted) against tfjs conv3d over the whole volume', () => {
  it('gives the same probabilities with per-volume normalisation, GELU and halos across many small chunks', async () => {
    const { json, bytes } = layersModel(
      [
        { name: 'c0_gn', cin: 1, cout: 4, dilation: 3, gelu: true },
        { name: 'c1_gn', cin: 4, cout: 4, dilation: 2, gelu: true },
        { name: 'c2', cin: 4, cout: 4, dilation: 1, gelu: true },
      ],
      2,
      7,
    );
    const model = parseMeshnet(json, bytes);
    const dims: [number, number, number] = [10, 9, 8];
    const input = random(10 * 9 * 8, 3, 100).map((v) => v + 150); // raw intensities, far from 0 mean
    const want = referenceForward(model, input, dims);
    let calls = 0;
    const got = await runMeshnet(model, input, dims, { maxChunkBytes: 9 * 8 * 4 * 4 * 12, onProgress: () => calls++ });
    expect(calls).toBeGreaterThan(10); // really went through in chunks
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    const whole = await runMeshnet(model, input, dims);
    expect(maxAbsDiff(whole, want)).toBeLessThan(1e-4);
    // the check can fail: without the normalisation the probabilities differ
    const plain = referenceForward({ ...model, convs: model.convs.map((c) => ({ ...c, normalise: false })) }, input, dims);
    expect(maxAbsDiff(plain, want)).toBeGreaterThan(1e-2);
  });

  it('stops when checkCancelled throws and leaves no tensors behind', async () => {
    const { json, bytes } = layersModel([{ name: 'c0_gn', cin: 1, cout: 3, dilation: 1, gelu: true }], 2, 9);
    const model = parseMeshnet(json, bytes);
    const before = tf.memory().numTensors;
    let n = 0;
    await expect(runMeshnet(model, random(6 * 6 * 6, 1), [6, 6, 6], { maxChunkBytes: 6 * 6 * 3 * 4 * 12, checkCancelled: () => { if (++n === 3) throw new Error('cancelled'); } })).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mask cleanup', () => {
  const dims: [number, number, number] = [12, 10, 8];
  const at = (i: number, j: number, k: number) => i + 12 * (j + 10 * k);
  const box = (m: Uint8Array, [i0, j0, k0]: number[], [i1, j1, k1]: number[]) => {
    for (let k = k0; k < k1; k++) for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) m[at(i, j, k)] = 1;
  };

  it('thresholds strictly above 0.5', () => {
    expect(Array.from(thresholdMask([0.2, 0.5, 0.51, 0.9]))).toEqual([0, 0, 1, 1]);
  });

  it('keeps only the largest 6-connected component', () => {
    const m = new Uint8Array(12 * 10 * 8);
    box(m, [1, 1, 1], [5, 5, 5]); // 64 voxels
    box(m, [7, 1, 1], [9, 3, 3]); // 8 voxels
    m[at(6, 7, 6)] = 1; // 1 voxel
    const out = largestComponent(m, dims);
    expect(out.reduce((s, v) => s + v, 0)).toBe(64);
    expect(out[at(2, 2, 2)]).toBe(1);
    expect(out[at(7, 1, 1)]).toBe(0);
  });

  it('fills enclosed pockets, not background that reaches a face', () => {
    const m = new Uint8Array(12 * 10 * 8);
    box(m, [2, 2, 2], [8, 8, 7]);
    m[at(4, 4, 4)] = 0; // an enclosed pocket
    m[at(5, 5, 4)] = 0;
    for (let i = 0; i < 5; i++) m[at(i, 3, 3)] = 0; // a channel to the i = 0 face
    const out = fillHoles(m, dims);
    expect(out[at(4, 4, 4)]).toBe(1);
    expect(out[at(5, 5, 4)]).toBe(1);
    expect(out[at(3, 3, 3)]).toBe(0);
    expect(out[at(0, 0, 0)]).toBe(0);
    expect(out.reduce((s, v) => s + v, 0)).toBe(m.reduce((s, v) => s + v, 0) + 2);
  });

  it('finds quantiles to within a histogram bin of the sorted values', () => {
    const values = random(20001, 8, 50).map((v) => (v < -20 ? 0 : v));
    const sorted = Float32Array.from(values).sort();
    for (const q of [0.05, 0.5, 0.95]) expect(Math.abs(quantileOf(values, q) - sorted[q * 20000])).toBeLessThan(100 / 65536 + 1e-6);
  });

  it('crops to the head box and puts it back', () => {
    const values = new Float32Array(12 * 10 * 8);
    values[at(3, 4, 2)] = 10;
    values[at(6, 5, 3)] = 8;
    values[at(9, 9, 7)] = 4; // below half the maximum: outside the box
    const b = headBox(values, dims, 0.5, 1)!;
    expect(b).toEqual({ start: [2, 3, 1], size: [6, 4, 4] });
    const cropped = cropTo(values, dims, b);
    expect(cropped[(3 - 2) + 6 * ((4 - 3) + 4 * (2 - 1))]).toBe(10);
    const back = uncropFrom(Uint8Array.from(cropped, (v) => (v > 0 ? 1 : 0)), dims, b);
    expect(Array.from(back.keys()).filter((v) => back[v])).toEqual([at(3, 4, 2), at(6, 5, 3)]);
  });
});

describe('stripSkull', () => {
  /** A head on a 2×2×4 mm grid: brain sphere (r 40 mm, 100), a skull shell (r 45–50 mm, 30), noisy air (0–5). */
  async function syntheticHead(noise: boolean) {
    const dims: [number, number, number] = [64, 64, 32];
    const spacingMm: [number, number, number] = [2, 2, 4];
    const r = mulberry32(4);
    const data = new Int16Array(64 * 64 * 32);
    const brain = new Uint8Array(data.length);
    const centre = [70, 60, 66]; // mm, off the grid's centre
    for (let k = 0, v = 0; k < 32; k++) {
      for (let j = 0; j < 64; j++) {
        for (let i = 0; i < 64; i++, v++) {
          const d = Math.hypot(2 * i - centre[0], 2 * j - centre[1], 4 * k - centre[2]);
          brain[v] = d < 40 ? 1 : 0;
          data[v] = d < 40 ? 100 : d > 45 && d < 50 ? 30 : noise ? Math.floor(r() * 6) : 0;
        }
      }
    }
    return { volume: await readNifti(niftiOf('head.nii.gz', data, { dims, spacingMm, originMm: [-20, 30, -50] }), 'head.nii.gz'), brain };
  }
  /**
   * conv = identity (centre tap 1), normalised over the box: p(brain) = σ(z − 1.28), z the
   * box's z-score — in the box (brain ± 20 voxels: 15 % brain at 100, 8 % skull at 30, the
   * rest air at 0–5) that is a threshold half-way between brain and skull (≈ 65).
   */
  function thresholdModel(): MeshnetModel {
    const kernel = new Float32Array(27);
    kernel[13] = 1;
    return { name: 'threshold', inChannels: 1, convs: [{ name: 'id_gn', kernel, cin: 1, cout: 1, dilation: 1, normalise: true, activation: 'linear' }], head: { name: 'out', kernel: Float32Array.of(0, 1), bias: Float32Array.of(0, -1.28), cin: 1, classes: 2 } };
  }

  it('conforms, crops, thresholds, keeps the brain and maps the mask back onto the thick-slice grid', async () => {
    const { volume, brain } = await syntheticHead(true);
    const result = await stripSkull(volume, thresholdModel());
    expect(result.alreadyStripped).toBe(false);
    expect(result.brainMask.length).toBe(brain.length);
    expect(maskDice(result.brainMask, brain)).toBeGreaterThan(0.95);
    // the skull is not in it; the box is the brain's ± 20 voxels, not the 256³ cube
    expect(result.box!.size.every((s) => s < 130)).toBe(true);
  });

  it('recognises an already stripped scan (0 around the brain) and runs no network', async () => {
    const { volume, brain } = await syntheticHead(false);
    const poisoned: MeshnetModel = { ...thresholdModel(), head: { ...thresholdModel().head, bias: Float32Array.of(0, 1e9) } }; // would mark everything brain if it ran
    const result = await stripSkull({ ...volume, data: volume.data.map((v) => (v === 30 ? 0 : v)) as Int16Array }, poisoned);
    expect(result.alreadyStripped).toBe(true);
    expect(maskDice(result.brainMask, brain)).toBe(1);
  });

  it('a head with its air zeroed is not "already stripped": too much of it for a brain', async () => {
    const ball = async (radiusMm: number) => {
      const data = new Int16Array(60 * 60 * 60); // 4 mm voxels, 240 mm field of view
      for (let k = 0, v = 0; k < 60; k++) for (let j = 0; j < 60; j++) for (let i = 0; i < 60; i++, v++) data[v] = 4 * Math.hypot(i - 29.5, j - 29.5, k - 29.5) < radiusMm ? 100 : 0;
      return readNifti(niftiOf('ball.nii.gz', data, { dims: [60, 60, 60], spacingMm: [4, 4, 4] }), 'ball.nii.gz');
    };
    const brain = await ball(60); // ≈ 905 mL
    const head = await ball(88); // ≈ 2854 mL, still 0 on every face
    expect(nonZeroBorderFraction(head)).toBe(0);
    expect(isAlreadyStripped(brain)).toBe(true);
    expect(isAlreadyStripped(head)).toBe(false);
  });

  it("MindGrab's grid is 256³ 1 mm, centred on the scan, axes A, I, L", async () => {
    const { volume } = await syntheticHead(false);
    const g = mindgrabGrid(gridOf(volume));
    const c = applyToPoint(volume.affine, [31.5, 31.5, 15.5]);
    const mid = applyToPoint(g.affine, [127.5, 127.5, 127.5]);
    mid.forEach((v, a) => expect(v).toBeCloseTo(c[a], 6));
    const o = applyToPoint(g.affine, [0, 0, 0]);
    expect(applyToPoint(g.affine, [1, 0, 0]).map((v, a) => v - o[a])).toEqual([0, 1, 0]);
    expect(applyToPoint(g.affine, [0, 1, 0]).map((v, a) => v - o[a])).toEqual([0, 0, -1]);
    expect(applyToPoint(g.affine, [0, 0, 1]).map((v, a) => v - o[a])).toEqual([-1, 0, 0]);
  });
});
