import * as tf from '@tensorflow/tfjs';
import { sameLayout } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { parseQuantParams, quantTensors } from './quant-params.js';

/**
 * q = saturate(round_half_even(x / scale) + zero_point), carried as float32
 * values that are integers. Its gradient is the straight-through estimator:
 * dy / scale where q did not saturate, 0 where it did — so that
 * QuantizeLinear → DequantizeLinear (whose gradient is · scale) passes the
 * gradient unchanged inside the range: fake quantization for QAT.
 */
export function fakeQuantize(x: tf.Tensor, scale: tf.Tensor, zeroPoint: tf.Tensor, qmin: number, qmax: number): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const unclipped = tf.add(tf.round(tf.div(input, scale)), zeroPoint);
    const inRange = tf.logicalAnd(tf.greaterEqual(unclipped, qmin), tf.lessEqual(unclipped, qmax));
    save([tf.div(tf.cast(inRange, 'float32'), scale)]);
    return {
      value: tf.clipByValue(unclipped, qmin, qmax),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!),
    };
  });
  return op(x);
}

export const quantizeLinearOp: OpDefinition = {
  opType: 'QuantizeLinear',
  compile(node, ctx) {
    const p = parseQuantParams(node, ctx);
    return ([x]) => {
      const { scale, zeroPoint } = quantTensors(p, x!);
      return [sameLayout(x!, fakeQuantize(x!.tensor, scale, zeroPoint, p.qmin, p.qmax))];
    };
  },
};
