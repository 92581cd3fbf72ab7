import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from './contract.ts';
import { batchNormInference, conv3x3, conv3x3BnLeaky, foldBatchNorm, tconv2x2, tconv2x2BnLeaky } from './layers.ts';

/** Every tensor of the model by its contract name (e.g. `down2_conv1_bn/gamma`). */
export type ModelWeights = Record<string, tf.Tensor>;

/** Per-channel mean and population variance of the features entering one BN layer. */
export interface BnMoments {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

export interface ForwardOptions {
  /** Also return, per BN layer, the moments of its input over N×H×W (for the KL loss). */
  collectBnMoments?: boolean;
  /**
   * Use these moments instead of the stored running statistics (AdaBN). Keyed by BN name;
   * layers not listed keep the running statistics.
   */
  bnStatisticsOverride?: Record<string, BnMoments>;
  /**
   * 'input': every BN normalises with the moments of its own input over this batch, as in
   * training mode, still without touching running statistics (how AdaBN measures a scan).
   */
  bnStatistics?: 'running' | 'input';
  /**
   * Per BN layer α: normalise with (1−α)·running + α·(moments of its own input over this
   * batch), mean and variance alike; with collectBnMoments those blended statistics are what
   * is returned (the backward-free `bnmix` adaptation reuses them for the whole volume).
   */
  bnMix?: Record<string, number>;
  /**
   * Inference: fold each BN (running or override statistics) into its convolution and fuse
   * the bias and activation, one kernel per layer. Same logits up to float rounding; not
   * with collectBnMoments or bnStatistics 'input' (they need the BN inputs).
   */
  fused?: boolean;
  /**
   * With collectBnMoments: measure the moments over these pixels only ([N, H, W], 1 = count;
   * e.g. the brain). Each depth uses the mask max-pooled to its resolution (a pixel counts
   * when its 2×2 window held any masked pixel).
   */
  momentsMask?: tf.Tensor3D;
  /**
   * Stop after this BN layer's input has been measured: the deeper layers and the logits are
   * not computed (a shallow-layer signal or loss then costs only the shallow layers, forward
   * and backward). `logits` is then undefined.
   */
  stopAfter?: string;
}

export interface ForwardResult {
  /** [N, H, W, classes] (absent only with `stopAfter`) */
  logits: tf.Tensor4D;
  /** Present when collectBnMoments was set; BN names in forward order. */
  bnMoments?: Record<string, BnMoments>;
}

/**
 * The contract's forward pass (models/README.md §3): per-modality normalizers, then the
 * U-Net. `x` is NHWC [N, H, W, 4] with H, W multiples of 16. Pure: it reads `weights`
 * (plain tensors or tf.Variables — adaptation passes variables for what it updates) and
 * never changes them; BN always runs in inference mode.
 */
export function forwardNetwork(
  weights: ModelWeights,
  arch: Architecture,
  x: tf.Tensor4D,
  options: ForwardOptions = {},
): ForwardResult {
  const w = (name: string) => {
    const t = weights[name];
    if (!t) throw new Error(`model weights lack "${name}"`);
    return t;
  };
  const slope = arch.leakySlope;
  const moments: Record<string, BnMoments> = {};
  if (options.stopAfter !== undefined && !arch.bnLayers.includes(options.stopAfter)) {
    throw new Error(`forwardNetwork: stopAfter "${options.stopAfter}" is not a BN layer of this model`);
  }
  const masks = new Map<number, tf.Tensor3D>();
  /** The moments mask at this height (max-pooled from the input's). */
  const maskAt = (height: number): tf.Tensor3D => {
    let m = masks.get(height);
    if (!m) {
      const finer = maskAt(height * 2);
      m = tf.squeeze(tf.maxPool(tf.expandDims(finer, 3) as tf.Tensor4D, 2, 2, 'same'), [3]) as tf.Tensor3D;
      masks.set(height, m);
    }
    return m;
  };
  if (options.momentsMask) masks.set(x.shape[1], options.momentsMask);
  const fused = options.fused === true;
  if (fused && (options.collectBnMoments || options.bnStatistics === 'input')) {
    throw new Error('forwardNetwork: fused inference cannot measure BN inputs (collectBnMoments / bnStatistics "input")');
  }

  /** A BN layer's scale/offset with the given statistics, else its running statistics. */
  const bnParams = (bn: string, stats: BnMoments | undefined) => ({
    gamma: w(`${bn}/gamma`) as tf.Tensor1D,
    beta: w(`${bn}/beta`) as tf.Tensor1D,
    mean: stats?.mean ?? (w(`${bn}/moving_mean`) as tf.Tensor1D),
    variance: stats?.variance ?? (w(`${bn}/moving_variance`) as tf.Tensor1D),
  });
  const convBn = (name: string, input: tf.Tensor4D, kind: 'conv' | 'down' | 'tconv'): tf.Tensor4D => {
    const kernel = w(`${name}/kernel`) as tf.Tensor4D;
    const bn = `${name}_bn`;
    if (fused) {
      const folded = foldBatchNorm(bnParams(bn, options.bnStatisticsOverride?.[bn]), arch.bnEpsilon);
      return kind === 'tconv' ? tconv2x2BnLeaky(input, kernel, folded, slope) : conv3x3BnLeaky(input, kernel, kind === 'down' ? 2 : 1, folded, slope);
    }
    const z = kind === 'tconv' ? tconv2x2(input, kernel) : conv3x3(input, kernel, kind === 'down' ? 2 : 1);
    let own: BnMoments | undefined;
    const alpha = options.bnMix?.[bn];
    if (alpha !== undefined) {
      const m = toBnMoments(tf.moments(z, [0, 1, 2]));
      const r = bnParams(bn, undefined);
      const used: BnMoments = {
        mean: tf.add(tf.mul(r.mean, 1 - alpha), tf.mul(m.mean, alpha)) as tf.Tensor1D,
        variance: tf.add(tf.mul(r.variance, 1 - alpha), tf.mul(m.variance, alpha)) as tf.Tensor1D,
      };
      if (options.collectBnMoments) moments[bn] = used;
      return tf.leakyRelu(batchNormInference(z, bnParams(bn, used), arch.bnEpsilon), slope);
    }
    if (options.collectBnMoments || options.bnStatistics === 'input') {
      own = options.momentsMask && options.bnStatistics !== 'input' ? maskedMoments(z, maskAt(z.shape[1])) : toBnMoments(tf.moments(z, [0, 1, 2]));
      moments[bn] = own;
      if (bn === options.stopAfter) throw new StopAfter();
    }
    const stats = options.bnStatistics === 'input' ? own : options.bnStatisticsOverride?.[bn];
    const y = batchNormInference(z, bnParams(bn, stats), arch.bnEpsilon);
    return tf.leakyRelu(y, slope);
  };
  const block = (name: string, input: tf.Tensor4D, down: boolean) =>
    convBn(`${name}_conv2`, convBn(`${name}_conv1`, input, down ? 'down' : 'conv'), 'conv');

  const normalized = tf.concat(
    arch.modalities.map((m, c) => {
      const xm = tf.slice(x, [0, 0, 0, c], [-1, -1, -1, 1]);
      const kernel = (i: number) => w(`norm_${m}_conv${i}/kernel`) as tf.Tensor4D;
      const bias = (i: number) => w(`norm_${m}_conv${i}/bias`) as tf.Tensor1D;
      if (fused) {
        const c = (input: tf.Tensor4D, i: number, act: 'leakyrelu' | 'linear') =>
          tf.fused.conv2d({ x: input, filter: kernel(i), strides: [1, 1], pad: 'same', bias: bias(i), activation: act, leakyreluAlpha: slope });
        return tf.add(xm, c(c(c(xm, 1, 'leakyrelu'), 2, 'leakyrelu'), 3, 'linear'));
      }
      const conv = (input: tf.Tensor4D, i: number) => conv3x3(input, kernel(i), 1, bias(i));
      const h = tf.leakyRelu(conv(tf.leakyRelu(conv(xm, 1), slope), 2), slope);
      return tf.add(xm, conv(h, 3)); // residual: the normalizer starts as the identity
    }),
    3,
  ) as tf.Tensor4D;

  if (options.stopAfter !== undefined && !options.collectBnMoments) {
    throw new Error('forwardNetwork: stopAfter needs collectBnMoments (it stops once that layer is measured)');
  }
  let h: tf.Tensor4D;
  try {
    const s0 = block('enc0', normalized, false);
    const s1 = block('down1', s0, true);
    const s2 = block('down2', s1, true);
    const s3 = block('down3', s2, true);
    h = block('bottleneck', s3, true);
    for (const [l, skip] of [[4, s3], [3, s2], [2, s1], [1, s0]] as const) {
      const up = convBn(`up${l}_tconv`, h, 'tconv');
      h = convBn(`up${l}_conv2`, convBn(`up${l}_conv1`, tf.concat([up, skip], 3), 'conv'), 'conv');
    }
  } catch (e) {
    if (e instanceof StopAfter) return { logits: undefined as unknown as tf.Tensor4D, bnMoments: moments };
    throw e;
  }
  const head = w('head/kernel') as tf.Tensor4D;
  const logits = fused
    ? tf.fused.conv2d({ x: h, filter: head, strides: [1, 1], pad: 'valid', bias: w('head/bias') as tf.Tensor1D })
    : (tf.add(tf.conv2d(h, head, [1, 1], 'valid'), w('head/bias')) as tf.Tensor4D);
  return options.collectBnMoments || options.bnStatistics === 'input' ? { logits, bnMoments: moments } : { logits };
}

/** Thrown inside forwardNetwork once `stopAfter` is measured; never escapes it. */
class StopAfter {}

const toBnMoments = (m: { mean: tf.Tensor; variance: tf.Tensor }): BnMoments => ({ mean: m.mean as tf.Tensor1D, variance: m.variance as tf.Tensor1D });

/** Per-channel mean and population variance of z [N, H, W, C] over the pixels where mask [N, H, W] is 1. */
function maskedMoments(z: tf.Tensor4D, mask: tf.Tensor3D): BnMoments {
  const m = tf.expandDims(mask, 3);
  const count = tf.maximum(tf.sum(m), 1);
  const mean = tf.div(tf.sum(tf.mul(z, m), [0, 1, 2]), count) as tf.Tensor1D;
  const variance = tf.div(tf.sum(tf.mul(tf.square(tf.sub(z, mean)), m), [0, 1, 2]), count) as tf.Tensor1D;
  return { mean, variance };
}
