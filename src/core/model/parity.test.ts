import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../node/loadModelDir.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { forwardNetwork, type AttuneModel } from './index.ts';
import parity from './fixtures/parity.json';

const MODEL_DIR = new URL('../../../models/attune-brats-inst18/', import.meta.url).pathname;

/**
 * The trainer (training/attune_train/fixtures.py) wrote a small real input, PyTorch's logits
 * and the moments of every BN input for the shipped weights; the TS network on the cpu
 * backend must reproduce them. A wrong layout, padding, upsampling, concat order or BN
 * epsilon moves the logits far beyond 1e-3.
 */
describe('PyTorch ↔ tfjs parity of the shipped model', () => {
  let model: AttuneModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = await loadModelDir(MODEL_DIR);
  });

  it('fixture belongs to the shipped weights', () => {
    const sha = createHash('sha256').update(readFileSync(MODEL_DIR + 'weights.bin')).digest('hex');
    expect(sha, 'regenerate with: cd training && /usr/bin/python3 -m attune_train.fixtures').toBe(parity.weightsSha256);
  });

  it('logits match within 1e-3 and BN input moments match', () => {
    const x = tf.tensor4d(parity.inputNHWC, parity.shape as [number, number, number, number]);
    const { logits, bnMoments } = forwardNetwork(model.weights, model.arch, x, { collectBnMoments: true });
    const got = logits.dataSync();
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - parity.logitsNHWC[i]));
    expect(got.length).toBe(parity.logitsNHWC.length);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    expect(Object.keys(bnMoments!)).toEqual(Object.keys(parity.bnInputStats));
    expect(Object.keys(bnMoments!)).toEqual(model.arch.bnLayers);
    for (const [name, ref] of Object.entries(parity.bnInputStats)) {
      const m = bnMoments![name];
      const mean = m.mean.dataSync();
      const variance = m.variance.dataSync();
      ref.mean.forEach((v, c) => expect(Math.abs(mean[c] - v), `${name} mean[${c}]`).toBeLessThanOrEqual(1e-3 + 1e-3 * Math.abs(v)));
      ref.variance.forEach((v, c) => expect(Math.abs(variance[c] - v), `${name} var[${c}]`).toBeLessThanOrEqual(1e-3 + 2e-3 * Math.abs(v)));
    }
    tf.dispose([x, logits, ...Object.values(bnMoments!).flatMap((m) => [m.mean, m.variance])]);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`the fused inference path (BN folded into the convolutions) gives the same logits, ${backend}`, async () => {
      if (backend === 'wasm') await useNodeBackend('wasm');
      else await tf.setBackend('cpu');
      const m = await loadModelDir(MODEL_DIR); // tensors belong to the backend they were made on
      const x = tf.tensor4d(parity.inputNHWC, parity.shape as [number, number, number, number]);
      const fused = forwardNetwork(m.weights, m.arch, x, { fused: true }).logits.dataSync();
      let maxDiff = 0;
      for (let i = 0; i < fused.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fused[i] - parity.logitsNHWC[i]));
      expect(maxDiff).toBeLessThanOrEqual(1e-3);
      // AdaBN's override statistics are folded the same way as the running ones
      const override = forwardNetwork(m.weights, m.arch, x, { bnStatistics: 'input' }).bnMoments!;
      const a = forwardNetwork(m.weights, m.arch, x, { bnStatisticsOverride: override }).logits.dataSync();
      const b = forwardNetwork(m.weights, m.arch, x, { bnStatisticsOverride: override, fused: true }).logits.dataSync();
      let d2 = 0;
      for (let i = 0; i < a.length; i++) d2 = Math.max(d2, Math.abs(a[i] - b[i]));
      expect(d2).toBeLessThanOrEqual(1e-3);
      expect(() => forwardNetwork(m.weights, m.arch, x, { fused: true, collectBnMoments: true })).toThrow(/cannot measure BN inputs/);
      await tf.setBackend('cpu');
    });
  }
});
