import * as tf from '@tensorflow/tfjs';
import { attrFloat } from '@edgefit/onnx';
import { unaryOp } from './elementwise.js';

export const leakyReluOp = unaryOp('LeakyRelu', (node) => {
  const alpha = attrFloat(node, 'alpha', 0.01);
  return (x) => tf.leakyRelu(x, alpha);
});
