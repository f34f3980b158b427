import * as tf from '@tensorflow/tfjs';
import { attrFloat } from '@edgefit/onnx';
import { unaryOp } from './elementwise.js';

/** y = max(0, min(1, alpha·x + beta)). */
export function hardSigmoid(x: tf.Tensor, alpha: number, beta: number): tf.Tensor {
  return tf.clipByValue(tf.add(tf.mul(x, alpha), beta), 0, 1);
}

export const hardSigmoidOp = unaryOp('HardSigmoid', (node) => {
  const alpha = attrFloat(node, 'alpha', 0.2);
  const beta = attrFloat(node, 'beta', 0.5);
  return (x) => hardSigmoid(x, alpha, beta);
});
