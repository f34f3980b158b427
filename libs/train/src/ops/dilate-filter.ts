import * as tf from '@tensorflow/tfjs';

/**
 * Spread an OIHW filter's taps `d` apart with zeros between them: a conv with
 * the spread filter equals the dilated conv. tfjs has no gradient for dilated
 * convolutions, but this form is differentiable with the kernels it has
 * (reshape, pad, slice), so dilated convs train too.
 */
export function dilateFilter(w: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  if (dh === 1 && dw === 1) return w;
  const [o, i, kh, kw] = w.shape;
  const spread = tf.pad(tf.reshape(w, [o, i, kh, 1, kw, 1]), [[0, 0], [0, 0], [0, 0], [0, dh - 1], [0, 0], [0, dw - 1]]);
  const full = tf.reshape(spread, [o, i, kh * dh, kw * dw]);
  return tf.slice(full, [0, 0, 0, 0], [o, i, (kh - 1) * dh + 1, (kw - 1) * dw + 1]) as tf.Tensor4D;
}
