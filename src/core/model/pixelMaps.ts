import * as tf from '@tensorflow/tfjs-core';

/** Per-pixel Shannon entropy (nats) of the softmax over the classes, [N, H, W]. */
export function entropyMap(logits: tf.Tensor4D): tf.Tensor3D {
  const logp = tf.logSoftmax(logits, 3);
  return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 3)) as tf.Tensor3D;
}

/** 1 where any modality is non-zero (the skull-stripped brain), [N, H, W]. */
export function brainMaskOf(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => tf.cast(tf.any(tf.notEqual(x, 0), 3), 'float32') as tf.Tensor3D);
}
