import * as tf from '@tensorflow/tfjs';
import { attrInts } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { normAxis, staticNumbers } from './static-inputs.js';

/** Squeeze: axes from input 1 (opset ≥ 13) or the attribute; none → every size-1 axis. */
export const squeezeOp: OpDefinition = {
  opType: 'Squeeze',
  compile(node, ctx) {
    const axes = ctx.opset >= 13 ? staticNumbers(node, 1, ctx, 'axes') : attrInts(node, 'axes', []);
    return ([xv]) => {
      const x = toOnnx(xv!);
      const drop = axes && axes.length > 0 ? axes.map((a) => normAxis(a, x.rank)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return [onnxValue(tf.reshape(x, x.shape.filter((_, i) => !drop.includes(i))))];
    };
  },
};
