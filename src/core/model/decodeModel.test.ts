import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, disposeModel, forwardNetwork } from './index.ts';
import { makeTinyModelFiles } from './testing/tinyModel.ts';

describe('decodeModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('decodes a contract model and runs a forward pass of the right shape', () => {
    const { manifest, weights } = makeTinyModelFiles();
    const model = decodeModel(manifest, [weights]);
    const { logits, bnMoments } = forwardNetwork(model.weights, model.arch, tf.zeros([2, 32, 16, 4]), { collectBnMoments: true });
    expect(logits.shape).toEqual([2, 32, 16, 4]);
    expect(Object.keys(bnMoments!)).toHaveLength(22);
    disposeModel(model);
  });

  it('refuses another format, another contract version, a short shard and a missing tensor', () => {
    const { manifest, weights } = makeTinyModelFiles();
    expect(() => decodeModel({ ...manifest, format: 'layers-model' as never }, [weights])).toThrow(/not an Attune model/);
    expect(() => decodeModel({ ...manifest, contractVersion: 99 }, [weights])).toThrow(/contract version 99/);
    expect(() => decodeModel(manifest, [weights.slice(0, 1000)])).toThrow(/bytes, the manifest describes/);
    const g = manifest.weightsManifest[0];
    const dropped = { ...manifest, weightsManifest: [{ ...g, weights: g.weights.slice(1) }] };
    const bytes = weights.slice(4 * g.weights[0].shape.reduce((a, b) => a * b, 1));
    expect(() => decodeModel(dropped, [bytes])).toThrow(/missing norm_t1_conv1\/kernel/);
  });
});
