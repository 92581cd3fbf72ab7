import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { maskDice, scalarVolumeOf, voxelMl } from '../core/registration/index.ts';
import { PHANTOM_STRIP_Z, rawPhantomStudy, thresholdMeshnet } from '../core/rawStudy/testing/rawPhantomStudy.ts';
import { readNifti } from '../core/volume/index.ts';
import { fetchMindgrab, mindgrabStripper } from './mindgrab.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => vi.unstubAllGlobals());

/** Answers fetch for a model folder as a server would: model.json and its weight files, else 404. */
function serveModel(base: string, json: object, files: Record<string, Uint8Array>) {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (url: string | URL) => {
    const u = String(url);
    requested.push(u);
    if (u === `${base}model.json`) return new Response(JSON.stringify(json));
    const name = u.startsWith(base) ? u.slice(base.length) : '';
    return files[name] ? new Response(files[name] as BodyInit) : new Response('no', { status: 404 });
  });
  return requested;
}

describe('MindGrab in the worker (fetchMindgrab + mindgrabStripper)', () => {
  const base = 'http://app.test/models/mindgrab/';

  it("fetches model.json and the weight files its manifest names, next to it, and reads them", async () => {
    const { json, bin } = thresholdMeshnet(0.5);
    const requested = serveModel(base, json, { 'model.bin': bin });
    const model = await fetchMindgrab(`${base}model.json`);
    expect(requested).toEqual([`${base}model.json`, `${base}model.bin`]);
    expect(model.convs.map((c) => [c.name, c.normalise])).toEqual([['pass_gn', true]]);
    expect(Array.from(model.head.bias)).toEqual([0, -0.5]);
  });

  it('a missing weight file is said, with its name', async () => {
    const { json } = thresholdMeshnet(0.5);
    serveModel(base, json, {});
    await expect(fetchMindgrab(`${base}model.json`)).rejects.toThrow("MindGrab's weights model.bin could not be loaded (404)");
  });

  it("strips the raw phantom's T1Gd through the real pipeline with the e2e's threshold model: the brain, not the skull", async () => {
    const study = rawPhantomStudy();
    const { json, bin } = thresholdMeshnet(PHANTOM_STRIP_Z);
    serveModel(base, json, { 'model.bin': bin });
    const stripper = mindgrabStripper(await fetchMindgrab(`${base}model.json`));
    const t1ce = study.files.find((f) => f.name.includes('t1ce'))!;
    const head = scalarVolumeOf(await readNifti(t1ce.bytes, t1ce.name));
    const chunks: number[] = [];
    const mask = await stripper.strip(head, { onProgress: (done) => chunks.push(done) });
    expect(mask).toHaveLength(head.values.length);
    expect(chunks.length).toBeGreaterThan(0);
    // 5 mm slices: the edge voxels are partial; the brain (749 mL ellipsoid) without its skull shell.
    expect(maskDice(mask, study.brainOnT1ce)).toBeGreaterThan(0.9);
    const ml = mask.reduce((a, b) => a + b, 0) * voxelMl(head.grid);
    expect(ml).toBeGreaterThan(650);
    expect(ml).toBeLessThan(850);
  }, 300_000); // a 256³ conform and a ~3.5 M-voxel crop on tfjs's cpu backend

  it("passes a WebGPU device's limits to the network: the same mask from more, smaller chunks, and the worker's checkpoint before each", async () => {
    const study = rawPhantomStudy();
    const { json, bin } = thresholdMeshnet(PHANTOM_STRIP_Z);
    serveModel(base, json, { 'model.bin': bin });
    const model = await fetchMindgrab(`${base}model.json`);
    const t1ce = study.files.find((f) => f.name.includes('t1ce'))!;
    const head = scalarVolumeOf(await readNifti(t1ce.bytes, t1ce.name));
    const free: number[] = [];
    const mask = await mindgrabStripper(model).strip(head, { onProgress: (done) => free.push(done) });
    const limited: number[] = [];
    let checkpoints = 0;
    // The software adapter's real limits (65535 workgroups per dimension) and a small binding limit.
    const limits = { maxDispatchPerDimension: 65535, maxBindingBytes: 4 * 2 ** 20 };
    const gpuMask = await mindgrabStripper(model, { limits: () => limits, checkpoint: () => checkpoints++ }).strip(head, { onProgress: (done) => limited.push(done) });
    expect(limited.length).toBeGreaterThan(2 * free.length);
    expect(checkpoints).toBe(limited.length);
    expect(Array.from(gpuMask)).toEqual(Array.from(mask));
    // a failing checkpoint (the worker's GPU failure) stops the strip
    await expect(mindgrabStripper(model, { checkpoint: () => { throw new Error('GPUDevice was lost'); } }).strip(head)).rejects.toThrow('GPUDevice was lost');
  }, 300_000);
});
