import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-backend-webgpu's own program classes (no GPU needed to build one: they only compute their
// dispatch), to hold the plan's model of them to the library it describes. Test-only import.
import { Conv2DMMProgram } from '@tensorflow/tfjs-backend-webgpu/dist/conv2d_mm_webgpu.js';
import { MatMulPackedProgram } from '@tensorflow/tfjs-backend-webgpu/dist/matmul_packed_webgpu.js';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../synthetic/random.ts';
import { parseMeshnet, planMeshnetChunks, runMeshnet, webgpuConv2dDispatch, webgpuMatMulDispatch, type MeshnetLimits, type MeshnetModel, type MeshnetShape } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The dispatch tfjs-backend-webgpu 4.22 computes for Conv2D 3×3 'same' (dilated) over [batch, h, w, cin] → cout. */
function realConv2dDispatch(batch: number, h: number, w: number, cin: number, cout: number, dilation = 1): number[] {
  const info = tf.backend_util.computeConv2DInfo([batch, h, w, cin], [3, 3, cin, cout], 1, [dilation, dilation], 'same', undefined, false, 'channelsLast');
  return new Conv2DMMProgram(info, h * w, cout, 9 * cin, false, undefined, false, false).dispatch;
}

/** … and for MatMul [rows, inner] × [inner, cols] (BatchMatMul_impl's 3D shapes). */
function realMatMulDispatch(rows: number, inner: number, cols: number): number[] {
  return new MatMulPackedProgram([1, rows, inner], [1, rows, cols], false, false).dispatch;
}

const WEBGPU: Required<Omit<MeshnetLimits, 'maxChunkBytes'>> = { maxDispatchPerDimension: 65535, maxBindingBytes: 128 * 2 ** 20 };

const mindgrab = parseMeshnet(JSON.parse(readFileSync('public/models/mindgrab/model.json', 'utf8')), new Uint8Array(readFileSync('public/models/mindgrab/model.bin')));
/** The e2e's stand-in (thresholdMeshnet): one 1→1 conv, a 1→2 head. */
const standIn = (dims: [number, number, number]): MeshnetShape => ({ dims, inChannels: 1, convs: [{ cin: 1, cout: 1, dilation: 1, normalise: true, activation: 'linear' }], head: { cin: 1, classes: 2 } });
const shapeOf = (model: MeshnetModel, dims: [number, number, number]): MeshnetShape => ({ dims, inChannels: model.inChannels, convs: model.convs, head: model.head });

/** Every kernel the plan's chunks make runMeshnet launch on WebGPU that has a limit: its dispatch and the largest buffer it binds. */
function plannedKernels(shape: MeshnetShape, limits: MeshnetLimits) {
  const plan = planMeshnetChunks(shape, limits);
  const [, H, W] = shape.dims;
  const kernels: { what: string; dispatch: number[]; bytes: number }[] = [];
  shape.convs.forEach(({ cin, cout, dilation }, l) => {
    const n = plan.convSlices[l];
    kernels.push({ what: `conv ${l}`, dispatch: realConv2dDispatch(n, H, W, cin, cout, dilation), bytes: 4 * H * W * Math.max((n + 2 * dilation) * cin, n * cout) });
    kernels.push({ what: `pointwise ${l}`, dispatch: [1, 1, 1], bytes: 4 * plan.pointwiseVoxels * cout });
  });
  const { cin, classes } = shape.head;
  kernels.push({ what: 'head matMul', dispatch: realMatMulDispatch(plan.headVoxels, cin, classes), bytes: 4 * plan.headVoxels * Math.max(cin, classes) });
  kernels.push({ what: 'head softmax', dispatch: [plan.headVoxels, 1, 1], bytes: 4 * plan.headVoxels * classes });
  return kernels;
}

const random = (n: number, seed: number, scale = 1) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
};

describe("the plan's model of tfjs-backend-webgpu 4.22's dispatch", () => {
  it("equals Conv2DMMProgram's dispatch for MeshNet's shapes (1, 3, 4 and 15 channels, planes down to 2×2)", () => {
    for (const [cin, cout] of [[1, 1], [1, 15], [15, 15], [15, 2], [4, 4], [3, 8], [4, 6]])
      for (const [b, h, w] of [[1, 2, 2], [7, 9, 8], [148, 150, 160], [33, 175, 239], [3, 256, 256]])
        expect(webgpuConv2dDispatch(b, h, w, cin, cout), `${b}×${h}×${w}×${cin}→${cout}`).toEqual(realConv2dDispatch(b, h, w, cin, cout));
  });

  it("equals MatMulPackedProgram's dispatch for the head's shapes", () => {
    for (const [inner, cols] of [[1, 2], [15, 2], [4, 4], [16, 16], [20, 2]])
      for (const rows of [1, 5, 8, 9, 1000, 3_500_000])
        expect(webgpuMatMulDispatch(rows, inner, cols), `${rows}×${inner}→${cols}`).toEqual(realMatMulDispatch(rows, inner, cols));
  });
});

describe('planMeshnetChunks', () => {
  const cases: [string, MeshnetShape][] = [
    ["MindGrab on FG-6692's box (203×175×239)", shapeOf(mindgrab, [203, 175, 239])],
    ["MindGrab on t1_crop's box (204×202×252)", shapeOf(mindgrab, [204, 202, 252])],
    ['MindGrab on the whole 256³ cube', shapeOf(mindgrab, [256, 256, 256])],
    ["the stand-in on the e2e phantom's crop (148 slices)", standIn([148, 150, 160])],
  ];
  for (const [name, shape] of cases)
    for (const binding of [128 * 2 ** 20, 2 ** 31 - 4]) {
      it(`${name}: no kernel's dispatch or buffer exceeds WebGPU's limits (65535 per dimension, ${(binding / 2 ** 20).toFixed(0)} MiB)`, () => {
        const limits = { maxDispatchPerDimension: 65535, maxBindingBytes: binding };
        for (const k of plannedKernels(shape, limits)) {
          expect(Math.max(...k.dispatch), k.what).toBeLessThanOrEqual(65535);
          expect(k.bytes, k.what).toBeLessThanOrEqual(binding);
        }
      });
    }

  it('without limits the stand-in puts the whole crop in one MatMul, past the dispatch limit (what made WebGPU fail)', () => {
    const head = plannedKernels(standIn([148, 150, 160]), {}).find((k) => k.what === 'head matMul')!;
    expect(head.dispatch[1]).toBeGreaterThan(65535);
    // and the 512 MiB budget alone lets a 15→15, d = 16 slab of MindGrab on t1_crop's box grow past 128 MiB
    expect(mindgrab.convs[5]).toMatchObject({ cin: 15, dilation: 16 });
    const wide = plannedKernels(shapeOf(mindgrab, [204, 202, 252]), {}).find((k) => k.what === 'conv 5')!;
    expect(wide.bytes).toBeGreaterThan(WEBGPU.maxBindingBytes);
    const fitted = plannedKernels(shapeOf(mindgrab, [204, 202, 252]), WEBGPU).find((k) => k.what === 'conv 5')!;
    expect(fitted.bytes).toBeLessThanOrEqual(WEBGPU.maxBindingBytes);
  });

  it('without WebGPU limits it is the byte budget alone, as before (wasm, cpu)', () => {
    const plan = planMeshnetChunks(shapeOf(mindgrab, [203, 175, 239]));
    const slice = 175 * 239 * 15 * 4;
    expect(plan.convSlices[0]).toBe(Math.floor((512 * 2 ** 20 / slice - 2 * mindgrab.convs[0].dilation) / 9));
    expect(plan.headVoxels).toBe(Math.floor(512 * 2 ** 20 / slice / 4) * 175 * 239);
  });

  it('says so when not even one slice fits the device', () => {
    expect(() => planMeshnetChunks(shapeOf(mindgrab, [40, 256, 256]), { maxBindingBytes: 16 * 2 ** 20 })).toThrow(/layer 1 needs 17 slices of 256×256×15 \(63\.8 MiB\) in one buffer; the device binds at most 16\.0 MiB/);
    expect(() => planMeshnetChunks(standIn([4, 300, 300]), { maxDispatchPerDimension: 1000 })).toThrow(/needs 2813 workgroups in one dimension; the device allows 1000/);
  });
});

describe('runMeshnet under tight limits (cpu backend, small volume)', () => {
  // A 3-layer MeshNet with random weights: 1→4 (d 3), 4→4 (d 2), 4→4 (d 1), head 4→2.
  const convs = [
    { cin: 1, cout: 4, dilation: 3, normalise: true, activation: 'gelu' as const },
    { cin: 4, cout: 4, dilation: 2, normalise: true, activation: 'gelu' as const },
    { cin: 4, cout: 4, dilation: 1, normalise: false, activation: 'gelu' as const },
  ];
  const model: MeshnetModel = {
    inChannels: 1,
    convs: convs.map((c, i) => ({ ...c, name: `c${i}`, kernel: random(27 * c.cin * c.cout, 10 + i, 0.5) })),
    head: { cin: 4, classes: 2, kernel: random(8, 20, 0.5), bias: random(2, 21, 0.5) },
  } as unknown as MeshnetModel;
  const dims: [number, number, number] = [10, 9, 8];
  const input = random(10 * 9 * 8, 3, 100).map((v) => v + 150);
  const tight = { maxDispatchPerDimension: 4, maxBindingBytes: 72 * 4 * 4 * 8 };

  it('launches no Conv2D, MatMul or Softmax past the limits, binds no buffer past them, and gives the same probabilities as without limits', async () => {
    let chunks = 0;
    let got: Float32Array = new Float32Array();
    const profile = await tf.profile(async () => {
      got = await runMeshnet(model, input, dims, { ...tight, onProgress: () => chunks++ });
      return [];
    });
    let free = 0;
    const want = await runMeshnet(model, input, dims, { onProgress: () => free++ });
    expect(chunks).toBeGreaterThan(3 * free); // the limits really cut the volume smaller
    expect(chunks).toBe(planMeshnetChunks({ dims, inChannels: 1, convs, head: model.head }, tight).steps);
    let checked = 0;
    for (const k of profile.kernels) {
      for (const s of [...k.inputShapes, ...k.outputShapes]) expect(4 * s.reduce((a, b) => a * b, 1), `${k.name} ${JSON.stringify(s)}`).toBeLessThanOrEqual(tight.maxBindingBytes);
      let dispatch: number[] | null = null;
      if (k.name === 'Conv2D') {
        const [b, h, w, cin] = k.inputShapes[0];
        dispatch = realConv2dDispatch(b, h, w, cin, k.outputShapes[0][3]);
      } else if (k.name === 'BatchMatMul') {
        const [a, bShape] = k.inputShapes;
        dispatch = realMatMulDispatch(a[a.length - 2], a[a.length - 1], bShape[bShape.length - 1]);
      } else if (k.name === 'Softmax') dispatch = [k.inputShapes[0][0], 1, 1];
      if (dispatch) {
        checked++;
        expect(Math.max(...dispatch), `${k.name} ${JSON.stringify(k.inputShapes)}`).toBeLessThanOrEqual(tight.maxDispatchPerDimension);
      }
    }
    expect(checked).toBeGreaterThan(100);
    let diff = 0;
    for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(got[i] - want[i]));
    expect(diff).toBeLessThan(1e-6);
    // the same limits without the plan are broken: the unlimited run's head is one 720-row MatMul
    const unlimited = planMeshnetChunks({ dims, inChannels: 1, convs, head: model.head });
    expect(unlimited.headVoxels).toBe(720);
  });
});
