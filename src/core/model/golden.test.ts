import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../node/loadModelDir.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { forwardNetwork } from './index.ts';
import golden from './fixtures/golden.json';

const MODEL_DIR = new URL(`../../../models/${golden.model}/`, import.meta.url).pathname;
const DEMO_DIR = new URL('../../../public/demo/', import.meta.url).pathname;
const REGENERATE = `regenerate with: cd training && /usr/bin/python3 -m attune_train.fixtures --golden --model ../models/${golden.model}`;
/** The parity tolerance of parity.test.ts: a wrong layout, padding or epsilon moves logits far beyond it. */
const TOLERANCE = 1e-3;

/** The fixture's logits: float32 little-endian, NHWC on the subsampled grid. */
function referenceLogits(): Float32Array {
  const bytes = Buffer.from(golden.logitsNHWCFloat32Base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Golden test: the shipped model's logits on one whole real slice of the bundled demo case
 * equal PyTorch's (training/attune_train/fixtures.py --golden). The TS side starts from the
 * same NIfTI files and runs the runtime's own preprocessing and fused inference path, so a
 * tfjs upgrade that changes a kernel, or a drift of either preprocessing, fails here on each
 * backend the app and CLI use in Node.
 */
describe('golden slice: shipped model on public/demo equals the PyTorch reference', () => {
  let pre: PreprocessedCase;
  beforeAll(async () => {
    const { check } = await readCaseFolder(DEMO_DIR);
    pre = preprocess(check.mriCase!.modalities);
  });

  it('fixture belongs to the shipped weights and the demo case', () => {
    // the app's shipped model (a Vite URL import, so read as text): a new default needs a new fixture
    const shipped = readFileSync(new URL('../../worker/shippedModel.ts', import.meta.url), 'utf8');
    expect(shipped, REGENERATE.replace(golden.model, '<the new default>')).toContain(`models/${golden.model}/weights.bin`);
    const sha = createHash('sha256').update(readFileSync(MODEL_DIR + 'weights.bin')).digest('hex');
    expect(sha, REGENERATE).toBe(golden.weightsSha256);
    const b = golden.box;
    expect([...pre.box.start]).toEqual([b.i0, b.j0, b.k0]);
    expect([pre.shape[2], pre.shape[1], pre.shape[0]]).toEqual([b.width, b.height, b.depth]);
    expect([pre.shape[1], pre.shape[2]]).toEqual(golden.sliceShape);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`logits within ${TOLERANCE} on ${backend}`, async () => {
      if (backend === 'wasm') await useNodeBackend('wasm');
      else await tf.setBackend('cpu');
      const model = await loadModelDir(MODEL_DIR); // tensors belong to the backend they were made on
      const [, h, w] = pre.shape;
      const n = h * w * 4;
      const x = tf.tensor4d(pre.input.subarray(golden.slice * n, (golden.slice + 1) * n), [1, h, w, 4]);
      const logits = forwardNetwork(model.weights, model.arch, x, { fused: true }).logits;
      const got = logits.dataSync();
      tf.dispose([x, logits]);
      const ref = referenceLogits();
      const [gh, gw, classes] = golden.shape;
      expect(ref.length).toBe(gh * gw * classes);
      let maxDiff = 0;
      let maxAbs = 0;
      for (let r = 0; r < gh; r++) {
        for (let c = 0; c < gw; c++) {
          for (let k = 0; k < classes; k++) {
            const want = ref[(r * gw + c) * classes + k];
            const have = got[((r * golden.stride) * w + c * golden.stride) * classes + k];
            maxDiff = Math.max(maxDiff, Math.abs(have - want));
            maxAbs = Math.max(maxAbs, Math.abs(want));
          }
        }
      }
      expect(maxAbs, 'the reference is not a blank slice').toBeGreaterThan(1);
      expect(maxDiff, 'tfjs logits differ from PyTorch on the golden slice (the weights match, so preprocessing or a kernel drifted)').toBeLessThanOrEqual(TOLERANCE);
      await tf.setBackend('cpu');
    }, 120_000);
  }
});
