import { attrInts } from '@edgefit/onnx';
import { ONNX_AXIS_IN_NHWC, permute } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';

/** Transpose (default: reverse the axes). An NHWC input is permuted in one step, composing the layout change. */
export const transposeOp: OpDefinition = {
  opType: 'Transpose',
  compile(node) {
    const perm = attrInts(node, 'perm', []);
    return ([x]) => {
      const p = perm.length > 0 ? perm : Array.from({ length: x!.tensor.rank }, (_, i) => x!.tensor.rank - 1 - i);
      const composed = x!.nhwc ? p.map((axis) => ONNX_AXIS_IN_NHWC[axis]!) : p;
      return [onnxValue(permute(x!.tensor, composed))];
    };
  },
};
