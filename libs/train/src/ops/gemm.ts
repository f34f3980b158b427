import * as tf from '@tensorflow/tfjs';
import { attrFloat, attrInt } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { matMul2d } from './plain-matmul.js';

/** Y = alpha · A'·B' + beta · C, with A' = Aᵀ if transA and B' = Bᵀ if transB. */
export const gemmOp: OpDefinition = {
  opType: 'Gemm',
  compile(node) {
    const alpha = attrFloat(node, 'alpha', 1);
    const beta = attrFloat(node, 'beta', 1);
    const transA = attrInt(node, 'transA', 0) === 1;
    const transB = attrInt(node, 'transB', 0) === 1;
    return ([a, b, c]) => {
      let y: tf.Tensor = matMul2d(toOnnx(a!), toOnnx(b!), transA, transB);
      if (alpha !== 1) y = tf.mul(y, alpha);
      if (c && beta !== 0) y = tf.add(y, beta === 1 ? toOnnx(c) : tf.mul(toOnnx(c), beta));
      return [onnxValue(y)];
    };
  },
};
