import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../node/loadModelDir.ts';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { loadCase } from '../case/index.ts';
import { DEFAULT_POSTPROCESS, postprocessLabels } from '../postprocess/index.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { segmentCase, type AttuneModel } from './index.ts';

const MODEL_DIR = new URL('../../../models/attune-brats-inst18/', import.meta.url).pathname;

/** The switch sits in segmentCase, the one function every mask comes out of. */
describe('segmentCase post-processing switch', () => {
  let model: AttuneModel;
  let pre: PreprocessedCase;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    model = await loadModelDir(MODEL_DIR);
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 3 }).files));
    pre = preprocess(check.mriCase!.modalities);
  });

  it('default = the held-out defaults applied to the raw argmax; false = the raw argmax', async () => {
    const raw = await segmentCase(model.weights, model.arch, pre, { batchSize: 8, postprocess: false });
    const dflt = await segmentCase(model.weights, model.arch, pre, { batchSize: 8 });
    expect(dflt.labels).toEqual(postprocessLabels(raw.labels, pre.box.dims, DEFAULT_POSTPROCESS));
    expect(dflt.croppedLabels).toEqual(raw.croppedLabels); // the network's output is not touched
  }, 120_000);

  it('explicit thresholds reach the mask (a threshold above any component empties it)', async () => {
    const raw = await segmentCase(model.weights, model.arch, pre, { batchSize: 8, postprocess: false });
    expect(raw.labels.some((v) => v > 0)).toBe(true);
    const none = await segmentCase(model.weights, model.arch, pre, { batchSize: 8, postprocess: { minComponentVoxels: raw.labels.length + 1, minEtVoxels: 0 } });
    expect(none.labels.every((v) => v === 0)).toBe(true);
  }, 120_000);
});
