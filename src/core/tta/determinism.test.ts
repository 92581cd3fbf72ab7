import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCase } from '../case/index.ts';
import { decodeModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { adaptAndSegment } from './adaptAndSegment.ts';
import { DEFAULT_SETTINGS } from './defaults.ts';
import { registerWasmConv2dBackpropFilter } from './wasmConv2dBackpropFilter.ts';

/**
 * Issue 8, determinism: the same scan and settings give the identical mask and loss curve,
 * bit for bit, on each backend (WebGPU: e2e/worker.spec.ts). Each run starts from freshly
 * decoded weights, as the worker and the CLI do for every scan.
 */
describe.each(['cpu', 'wasm'] as const)('determinism on tfjs %s', (backend) => {
  const files = makeTinyModelFiles();
  let pre: PreprocessedCase;
  beforeAll(async () => {
    await useNodeBackend(backend);
    registerWasmConv2dBackpropFilter();
    await tf.setBackend(backend);
    // tfjs's cpu backend is a slow reference (normalizer filter gradients above all): a smaller volume.
    const dims: [number, number, number] = backend === 'cpu' ? [32, 32, 8] : [40, 40, 12];
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 8, dims, gain: { t1: 1.3 } }).files));
    pre = preprocess(check.mriCase!.modalities);
  });

  for (const mode of ['normalizer', 'bn', 'adabn'] as const) {
    it(`${mode}: two runs give the identical mask and loss curve`, async () => {
      const settings = { ...DEFAULT_SETTINGS[mode], iterations: mode === 'adabn' ? 1 : 2, statsSlices: backend === 'cpu' ? 2 : 4 };
      const once = async () => {
        const model = decodeModel(files.manifest, [files.weights]);
        try {
          const { segmentation, report } = await adaptAndSegment(model, pre, settings, { batchSize: 5 });
          return { labels: segmentation.labels, curve: report.lossCurve, chosen: report.chosenIteration };
        } finally {
          Object.values(model.weights).forEach((t) => t.dispose());
        }
      };
      const a = await once();
      const b = await once();
      expect(tf.getBackend()).toBe(backend);
      expect(b.curve).toEqual(a.curve);
      expect(b.chosen).toBe(a.chosen);
      let differing = 0;
      for (let n = 0; n < a.labels.length; n++) differing += a.labels[n] === b.labels[n] ? 0 : 1;
      expect(differing).toBe(0);
      expect(new Set(a.labels).size, 'the mask is not trivially empty').toBeGreaterThan(1);
      if (mode !== 'adabn') expect(new Set(a.curve).size, 'adaptation changed the loss').toBeGreaterThan(1);
    }, 120_000);
  }
});
