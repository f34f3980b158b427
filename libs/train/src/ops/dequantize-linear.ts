import * as tf from '@tensorflow/tfjs';
import { sameLayout } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { parseQuantParams, quantTensors } from './quant-params.js';

/** y = (q − zero_point) · scale, per tensor or per axis; differentiable in q for QAT. */
export const dequantizeLinearOp: OpDefinition = {
  opType: 'DequantizeLinear',
  compile(node, ctx) {
    const p = parseQuantParams(node, ctx);
    return ([q]) => {
      const { scale, zeroPoint } = quantTensors(p, q!);
      return [sameLayout(q!, tf.mul(tf.sub(q!.tensor, zeroPoint), scale))];
    };
  },
};
