import * as tf from '@tensorflow/tfjs';
import { attrInt } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { product, staticNumbers, unsupported } from './static-inputs.js';

/** Reshape with a static shape: 0 copies the input dim (unless allowzero), -1 is inferred. */
export const reshapeOp: OpDefinition = {
  opType: 'Reshape',
  compile(node, ctx) {
    const shape = staticNumbers(node, 1, ctx, 'shape');
    if (!shape) throw unsupported(node, ctx, 'the shape input is missing');
    const allowZero = attrInt(node, 'allowzero', 0) === 1;
    return ([xv]) => {
      const x = toOnnx(xv!);
      const dims = shape.map((d, i) => (d === 0 && !allowZero ? x.shape[i]! : d));
      const known = product(dims.filter((d) => d !== -1));
      return [onnxValue(tf.reshape(x, dims.map((d) => (d === -1 ? x.size / known : d))))];
    };
  },
};
