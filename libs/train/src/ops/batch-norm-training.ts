import * as tf from '@tensorflow/tfjs';

/**
 * Per-channel sums of a [P, C] matrix as a GEMV with a row of ones.
 * tfjs-wasm reduces over non-innermost axes by transposing the whole tensor
 * first (in tf.moments and in every broadcast gradient), which made BN the
 * most expensive op of a training step; a GEMV runs on XNNPACK.
 */
function columnSums(m: tf.Tensor): tf.Tensor2D {
  return tf.matMul(tf.ones([1, m.shape[0]!]), m as tf.Tensor2D);
}

/** Batch mean and biased variance per channel of [P, C] rows, each [C]. */
export function channelMoments(rows: tf.Tensor2D): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const p = rows.shape[0];
  const mean = tf.div(columnSums(rows), p);
  const variance = tf.div(columnSums(tf.square(tf.sub(rows, mean))), p);
  return { mean: tf.reshape(mean, [-1]) as tf.Tensor1D, variance: tf.reshape(variance, [-1]) as tf.Tensor1D };
}

/**
 * Training-mode batch normalization of channels-last rows [P, C] with its
 * analytic gradient (x̂ = (x − μ)/σ, y = γ·x̂ + β):
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/(σ·P) · (P·dy − Σ dy − x̂·Σ dy·x̂),
 * where every Σ over the P rows is a GEMV.
 */
export function batchNormRows(rows: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { mean, variance } = channelMoments(x);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(tf.sub(x, mean), invStd);
    save([xhat, invStd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, si, sg] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const p = sx.shape[0];
        const sumDy = columnSums(dy);
        const sumDyXhat = columnSums(tf.mul(dy, sx));
        const dx = tf.mul(tf.div(tf.mul(sg, si), p), tf.sub(tf.sub(tf.mul(dy, p), sumDy), tf.mul(sx, sumDyXhat)));
        return [dx, tf.reshape(sumDyXhat, sg.shape), tf.reshape(sumDy, sg.shape)];
      },
    };
  });
  return op(rows, gamma, beta) as tf.Tensor2D;
}
