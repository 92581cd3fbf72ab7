import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../node/useNodeBackend.ts';
import { loadCase } from '../case/index.ts';
import { decodeModel, segmentCase, type AttuneModel } from '../model/index.ts';
import { makeTinyModelFiles } from '../model/testing/tinyModel.ts';
import { makeNoTumourModelFiles } from '../model/testing/noTumourModel.ts';
import { craftedCalibration } from './testing/craftedCalibration.ts';
import { preprocess, type PreprocessedCase } from '../preprocess/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { shallowLayers } from '../tta/index.ts';
import {
  baselineEvidence, featureKl, featureReference, featureZScore, lossDrop, measureFeatureMoments, measureFlipDisagreement, parseCalibration, percentileAmong, tumourDisagreement,
  tumourEntropy, tumourVolumeChange, type CalibrationScan, type FeatureMoments,
} from './index.ts';

const moments = (mean: number, variance: number, channels = 3): FeatureMoments => ({
  a: { mean: new Array(channels).fill(mean), variance: new Array(channels).fill(variance) },
});
const scan = (name: string, mean: number, variance: number): CalibrationScan => ({ name, moments: moments(mean, variance), outputs: {} });

describe('feature signals against a calibrated reference', () => {
  const scans = [scan('s1', -0.1, 1), scan('s2', 0, 1), scan('s3', 0.1, 1)];
  const reference = featureReference(scans);

  it('the reference is the mean of the scans, with their spread', () => {
    expect(reference.a.mean[0]).toBeCloseTo(0, 12);
    expect(reference.a.variance[0]).toBeCloseTo(1, 12);
    expect(reference.a.meanSpread[0]).toBeCloseTo(0.1, 12); // sample sd of −0.1, 0, 0.1
  });

  it('KL: 0 at the reference, ½ for a mean one reference sd away (closed form)', () => {
    expect(featureKl(moments(0, 1), reference, 0)).toBeCloseTo(0, 12);
    expect(featureKl(moments(1, 1), reference, 0)).toBeCloseTo(0.5, 12);
    // KL(N(0, 4) ‖ N(0, 1)) = ½(4 − 1 − ln 4)
    expect(featureKl(moments(0, 4), reference, 0)).toBeCloseTo(0.5 * (3 - Math.log(4)), 12);
  });

  it('z-score counts between-scan standard deviations: a mean 2 spreads away is z = 2 (RMS with the variance term 0)', () => {
    const z = featureZScore(moments(0.2, 1), reference);
    expect(z).toBeCloseTo(Math.sqrt((2 * 2) / 2), 3);
    expect(featureZScore(moments(0, 1), reference)).toBeLessThan(0.01);
  });

  it('leaves scans out on request, and needs two', () => {
    expect(featureReference(scans, ['s3']).a.mean[0]).toBeCloseTo(-0.05, 12);
    expect(() => featureReference(scans, ['s1', 's2'])).toThrow(/at least 2/);
  });
});

describe('output signals', () => {
  it('flip disagreement: 0 identical, 1 disjoint, 1 − Dice between', () => {
    expect(tumourDisagreement([0, 1, 2, 0], [0, 1, 4, 0])).toBe(0); // any tumour class counts as tumour
    expect(tumourDisagreement([1, 0], [0, 1])).toBe(1);
    expect(tumourDisagreement([1, 1, 0, 0], [1, 0, 0, 0])).toBeCloseTo(1 - 2 / 3, 12);
    expect(tumourDisagreement([0, 0], [0, 0])).toBeNull(); // nothing to agree on: no number, not NaN
    expect(tumourDisagreement([0, 0], [0, 2])).toBe(1); // tumour on one side only: disjoint
  });
  it('volume change is relative to the baseline; a tumour from nothing is infinite', () => {
    expect(tumourVolumeChange([1, 1, 0, 0], [1, 1, 1, 1])).toBe(1);
    expect(tumourVolumeChange([1, 1, 0, 0], [0, 1, 0, 0])).toBe(0.5);
    expect(tumourVolumeChange([0, 0], [1, 0])).toBe(Infinity);
    expect(tumourVolumeChange([0, 0], [0, 0])).toBe(0);
  });
  it('loss drop is relative, 0 when iteration 0 is kept', () => {
    expect(lossDrop([2, 1.5, 1], 2)).toBe(0.5);
    expect(lossDrop([2, 3], 0)).toBe(0);
  });
  it('percentile: the share of training values at or below', () => {
    expect(percentileAmong(5, [1, 2, 3, 4])).toBe(100);
    expect(percentileAmong(2, [1, 2, 3, 4])).toBe(50);
    expect(percentileAmong(0, [1, 2, 3, 4])).toBe(0);
  });
  it('tumour entropy reads 0 when nothing is predicted tumour', () => {
    expect(tumourEntropy({ tumourEntropy: NaN, tumourVoxels: 0, brainEntropy: 0.1, brainVoxels: 10 })).toBe(0);
    expect(tumourEntropy({ tumourEntropy: 0.3, tumourVoxels: 5, brainEntropy: 0.1, brainVoxels: 10 })).toBe(0.3);
  });
  it('a calibration of other weights is refused with what to do', () => {
    const c = { format: 'attune-calibration', version: 1, modelChecksum: 'aaaaaaaa', measurement: { layers: ['a'], slices: 4 }, scans: [scan('x', 0, 1), scan('y', 0, 1)] };
    expect(() => parseCalibration(c, 'bbbbbbbb')).toThrow(/another model.*attune calibrate/);
    expect(parseCalibration(c, 'aaaaaaaa').scans).toHaveLength(2);
    expect(() => parseCalibration({ format: 'x' }, 'aaaaaaaa')).toThrow(/not an Attune calibration/);
  });
});

describe('signals measured by the runtime', () => {
  let model: AttuneModel;
  let pre: PreprocessedCase;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const files = makeTinyModelFiles();
    model = decodeModel(files.manifest, [files.weights]);
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 4, dims: [40, 40, 12] }).files));
    pre = preprocess(check.mriCase!.modalities);
  });

  it('feature moments: pooled exactly over passes, over brain voxels only', async () => {
    const layers = shallowLayers(model.arch);
    const whole = await measureFeatureMoments(model, pre, { layers, slices: 'all', passSize: 100 });
    const parts = await measureFeatureMoments(model, pre, { layers, slices: 'all', passSize: 5 });
    for (const l of layers) whole[l].mean.forEach((v, i) => expect(parts[l].mean[i]).toBeCloseTo(v, 4));
    // Against a computation of its own, from the contract (models/README.md §3) with plain tfjs
    // convolutions, not forwardNetwork: each modality's normalizer (3 convolutions, residual),
    // then enc0_conv1's convolution; mean and variance per channel over brain pixels in plain JS.
    const [d, h, w, c] = pre.shape;
    const z = tf.tidy(() => {
      const x = tf.tensor4d(pre.input, [d, h, w, c]);
      const W = model.weights;
      const conv = (t: tf.Tensor4D, name: string) => tf.add(tf.conv2d(t, W[`${name}/kernel`] as tf.Tensor4D, 1, 'same'), W[`${name}/bias`]) as tf.Tensor4D;
      const leaky = (t: tf.Tensor4D) => tf.leakyRelu(t, model.arch.leakySlope);
      const normalized = tf.concat(
        model.arch.modalities.map((m, i) => {
          const xm = tf.slice(x, [0, 0, 0, i], [-1, -1, -1, 1]);
          return tf.add(xm, conv(leaky(conv(leaky(conv(xm, `norm_${m}_conv1`)), `norm_${m}_conv2`)), `norm_${m}_conv3`));
        }),
        3,
      ) as tf.Tensor4D;
      return tf.conv2d(normalized, W['enc0_conv1/kernel'] as tf.Tensor4D, 1, 'same').dataSync();
    });
    const channels = z.length / (d * h * w);
    const momentsOver = (brainOnly: boolean) => {
      const sum = new Float64Array(channels);
      const sq = new Float64Array(channels);
      let n = 0;
      for (let p = 0; p < d * h * w; p++) {
        if (brainOnly && [0, 1, 2, 3].every((k) => pre.input[p * c + k] === 0)) continue;
        n++;
        for (let k = 0; k < channels; k++) {
          const v = z[p * channels + k];
          sum[k] += v;
          sq[k] += v * v;
        }
      }
      return { mean: Array.from(sum, (s) => s / n), variance: Array.from(sq, (q, k) => q / n - (sum[k] / n) ** 2) };
    };
    const brain = momentsOver(true);
    brain.mean.forEach((v, i) => expect(whole['enc0_conv1_bn'].mean[i]).toBeCloseTo(v, 4));
    brain.variance.forEach((v, i) => expect(Math.abs(whole['enc0_conv1_bn'].variance[i] - v)).toBeLessThan(1e-4 * Math.max(1, v)));
    const all = momentsOver(false);
    expect(all.mean.some((v, i) => Math.abs(v - brain.mean[i]) > 1e-3), 'the background changes the moments').toBe(true);
  });

  it('on a model that predicts no tumour: flip disagreement null, tumour entropy 0 with 0 tumour voxels, feature signals as usual', async () => {
    const files = makeNoTumourModelFiles();
    const empty = decodeModel(files.manifest, [files.weights]);
    const seg = await segmentCase(empty.weights, empty.arch, pre, { measureUncertainty: true, postprocess: false });
    expect(seg.labels.every((v) => v === 0)).toBe(true);
    expect(await measureFlipDisagreement(empty.weights, empty.arch, pre, { slices: 6 })).toBeNull();
    const calibration = craftedCalibration(files, 0.5);
    const e = await baselineEvidence(empty, pre, seg, { calibration });
    expect(e).toMatchObject({ tumourVoxels: 0, tumourEntropy: 0, flipDisagreement: null });
    expect(Number.isFinite(e.featureKl)).toBe(true);
    expect(Number.isFinite(e.featureZ)).toBe(true);
    // The same scan through the ordinary tiny model does predict tumour (so the empty result is the model's, not the scan's).
    const flip = await measureFlipDisagreement(model.weights, model.arch, pre, { slices: 6 });
    expect(flip).not.toBeNull();
  });

  it('segmentation entropy: ln 4 everywhere for a model whose head outputs nothing', async () => {
    const flat = { ...model.weights, 'head/kernel': tf.zerosLike(model.weights['head/kernel']), 'head/bias': tf.zerosLike(model.weights['head/bias']) };
    const seg = await segmentCase(flat, model.arch, pre, { measureUncertainty: true, postprocess: false });
    expect(seg.uncertainty!.brainEntropy).toBeCloseTo(Math.log(4), 4); // float32 softmax
    expect(seg.uncertainty!.tumourVoxels).toBe(0); // ties → class 0 (argmax takes the first)
    const sharp = { ...model.weights, 'head/kernel': tf.mul(model.weights['head/kernel'], 50) };
    const seg2 = await segmentCase(sharp, model.arch, pre, { measureUncertainty: true, postprocess: false });
    expect(seg2.uncertainty!.brainEntropy).toBeLessThan(Math.log(4) / 4);
    expect(seg2.uncertainty!.brainVoxels).toBe(seg.uncertainty!.brainVoxels);
  });
});
