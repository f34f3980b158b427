import * as tf from '@tensorflow/tfjs';
import { attrInt } from '@edgefit/onnx';
import { nhwcAxis, toOnnx } from '../executor/layout.js';
import type { OpDefinition } from './op-types.js';
import { normAxis } from './static-inputs.js';

/** Concat along `axis`; NHWC activations concatenate in place with the axis mapped. */
export const concatOp: OpDefinition = {
  opType: 'Concat',
  compile(node) {
    const axis = attrInt(node, 'axis', 0);
    return (inputs) => {
      const xs = inputs.filter((v) => v !== undefined);
      if (xs.every((v) => v.nhwc)) return [{ tensor: tf.concat(xs.map((v) => v.tensor), nhwcAxis(normAxis(axis, 4))), nhwc: true }];
      const ts = xs.map(toOnnx);
      return [{ tensor: tf.concat(ts, normAxis(axis, ts[0]!.rank)), nhwc: false }];
    };
  },
};
