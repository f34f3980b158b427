import * as tf from '@tensorflow/tfjs';

/**
 * a·b for 2-D operands whose forward and gradients never use matMul's
 * transpose flags: tfjs-wasm's BatchMatMul runs 3–10× slower with
 * transposeA/transposeB than on plain operands, and tfjs' own matMul
 * gradient uses those flags. An explicit transpose costs far less.
 */
const plainMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
});

/** op(a)·op(b) where op transposes when asked; 2-D only. */
export function matMul2d(a: tf.Tensor, b: tf.Tensor, transA = false, transB = false): tf.Tensor2D {
  const lhs = transA ? tf.transpose(a) : a;
  const rhs = transB ? tf.transpose(b) : b;
  return plainMatMul(lhs, rhs) as tf.Tensor2D;
}
