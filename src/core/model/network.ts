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
   * Inference: fold each BN (running or override statistics) into its convolution and fuse
   * the bias and activation, one kernel per layer. Same logits up to float rounding; not
   * with collectBnMoments or bnStatistics 'input' (they need the BN inputs).
   */
  fused?: boolean;
}

export interface ForwardResult {
  /** [N, H, W, classes] */
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
    if (options.collectBnMoments || options.bnStatistics === 'input') {
      const { mean, variance } = tf.moments(z, [0, 1, 2]);
      own = { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
      moments[bn] = own;
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

  const s0 = block('enc0', normalized, false);
  const s1 = block('down1', s0, true);
  const s2 = block('down2', s1, true);
  const s3 = block('down3', s2, true);
  let h = block('bottleneck', s3, true);
  for (const [l, skip] of [[4, s3], [3, s2], [2, s1], [1, s0]] as const) {
    const up = convBn(`up${l}_tconv`, h, 'tconv');
    h = convBn(`up${l}_conv2`, convBn(`up${l}_conv1`, tf.concat([up, skip], 3), 'conv'), 'conv');
  }
  const head = w('head/kernel') as tf.Tensor4D;
  const logits = fused
    ? tf.fused.conv2d({ x: h, filter: head, strides: [1, 1], pad: 'valid', bias: w('head/bias') as tf.Tensor1D })
    : (tf.add(tf.conv2d(h, head, [1, 1], 'valid'), w('head/bias')) as tf.Tensor4D);
  return options.collectBnMoments || options.bnStatistics === 'input' ? { logits, bnMoments: moments } : { logits };
}
