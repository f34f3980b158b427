import * as tf from '@tensorflow/tfjs';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { matMul2d } from './plain-matmul.js';
import { product } from './static-inputs.js';

/**
 * numpy matmul of operands of rank ≥ 2. A 2-D right operand (a Linear layer
 * on a sequence) folds the batch dims into rows: one plain GEMM. Otherwise
 * both operands are broadcast to the common batch shape first, because
 * tfjs' BatchMatMul gradient does not reduce broadcast batch dims.
 */
function matMulNd(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.rank - 1]!;
  if (b.rank === 2) return tf.reshape(matMul2d(tf.reshape(a, [product(a.shape.slice(0, -2)) * m, k]), b), [...a.shape.slice(0, -2), m, n]);
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return tf.matMul(tf.broadcastTo(a, [...batch, m, k]), tf.broadcastTo(b, [...batch, k, n]));
}

/** MatMul: numpy semantics; a 1-D operand is promoted and the added axis removed after. */
export const matMulOp: OpDefinition = {
  opType: 'MatMul',
  compile() {
    return ([av, bv]) => {
      let a = toOnnx(av!);
      let b = toOnnx(bv!);
      const vecA = a.rank === 1;
      const vecB = b.rank === 1;
      if (vecA) a = tf.expandDims(a, 0);
      if (vecB) b = tf.expandDims(b, 1);
      let y = matMulNd(a, b);
      if (vecA) y = tf.squeeze(y, [y.rank - 2]);
      if (vecB) y = tf.squeeze(y, [y.rank - 1]);
      return [onnxValue(y)];
    };
  },
};
