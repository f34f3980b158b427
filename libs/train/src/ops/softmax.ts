import * as tf from '@tensorflow/tfjs';
import { attrInt } from '@edgefit/onnx';
import { nhwcAxis, toOnnx } from '../executor/layout.js';
import { onnxValue, sameLayout } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { normAxis, product } from './static-inputs.js';

/** tfjs' softmax works on the last axis: move `axis` there and back. */
function softmaxAlong(x: tf.Tensor, axis: number): tf.Tensor {
  if (axis === x.rank - 1) return tf.softmax(x);
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  [perm[axis], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[axis]!];
  return tf.transpose(tf.softmax(tf.transpose(x, perm)), perm);
}

/**
 * Softmax. Opset ≥ 13: along one axis (default -1). Older opsets: the input
 * is coerced to 2-D at `axis` (default 1) and normalized over the second dim.
 */
export const softmaxOp: OpDefinition = {
  opType: 'Softmax',
  compile(node, ctx) {
    const modern = ctx.opset >= 13;
    const axis = attrInt(node, 'axis', modern ? -1 : 1);
    return ([x]) => {
      if (modern) {
        if (x!.nhwc) return [sameLayout(x!, softmaxAlong(x!.tensor, nhwcAxis(normAxis(axis, 4))))];
        return [onnxValue(softmaxAlong(x!.tensor, normAxis(axis, x!.tensor.rank)))];
      }
      const t = toOnnx(x!);
      const a = normAxis(axis, t.rank);
      const flat = tf.reshape(t, [product(t.shape.slice(0, a)), product(t.shape.slice(a))]);
      return [onnxValue(tf.reshape(tf.softmax(flat), t.shape))];
    };
  },
};
