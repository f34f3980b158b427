import * as tf from '@tensorflow/tfjs';
import { attrInt } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { product } from './static-inputs.js';

/** Flatten to 2-D at `axis`, in ONNX (NCHW) element order. */
export const flattenOp: OpDefinition = {
  opType: 'Flatten',
  compile(node) {
    const axis = attrInt(node, 'axis', 1);
    return ([xv]) => {
      const x = toOnnx(xv!);
      const a = axis < 0 ? axis + x.rank : axis;
      return [onnxValue(tf.reshape(x, [product(x.shape.slice(0, a)), product(x.shape.slice(a))]))];
    };
  },
};
