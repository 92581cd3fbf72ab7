import * as tf from '@tensorflow/tfjs-core';

/**
 * A 3×3×3 Conv3D ('same', stride 1, dilation d in all three axes) written as three batched
 * Conv2D: depth is the batch, each depth tap kd of the kernel is a 2D convolution (dilated
 * in-plane) of the input shifted by (kd − 1)·d slices, and the three are summed. tfjs-wasm's
 * Conv2D (XNNPACK) runs ~10× faster than its Conv3D, which made MindGrab take hours.
 *
 * `slab` holds the input slices [d0 − d, d1 + d) of the output slices [d0, d1) wanted —
 * zeros where that range leaves the volume, as 'same' padding has it — so its batch is
 * the output's plus 2·d. `taps` are the kernel's three depth taps, each [3, 3, cin, cout].
 */
export function conv3dByDepthShift(slab: tf.Tensor4D, taps: readonly tf.Tensor4D[], dilation: number): tf.Tensor4D {
  if (taps.length !== 3) throw new Error(`conv3dByDepthShift: ${taps.length} depth taps, 3 expected`);
  const [b, h, w, c] = slab.shape;
  const n = b - 2 * dilation;
  if (n < 1) throw new Error(`conv3dByDepthShift: a slab of ${b} slices has no output slices at dilation ${dilation}`);
  return tf.tidy(() => {
    let sum: tf.Tensor4D | null = null;
    for (let kd = 0; kd < 3; kd++) {
      const shifted = tf.slice(slab, [kd * dilation, 0, 0, 0], [n, h, w, c]);
      const y = tf.conv2d(shifted, taps[kd], 1, 'same', 'NHWC', [dilation, dilation]);
      sum = sum ? tf.add(sum, y) : y;
    }
    return sum as tf.Tensor4D;
  });
}

/** The three depth taps [3, 3, cin, cout] of a Keras kernel [3, 3, 3, cin, cout] (row-major). */
export function depthTaps(kernel: Float32Array, cin: number, cout: number): tf.Tensor4D[] {
  const tap = 9 * cin * cout;
  if (kernel.length !== 3 * tap) throw new Error(`depthTaps: ${kernel.length} values for a 3×3×3×${cin}×${cout} kernel`);
  return [0, 1, 2].map((kd) => tf.tensor4d(kernel.subarray(kd * tap, (kd + 1) * tap), [3, 3, cin, cout]));
}
