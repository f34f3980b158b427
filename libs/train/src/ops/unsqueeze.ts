import * as tf from '@tensorflow/tfjs';
import { attrInts } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { normAxis, staticNumbers, unsupported } from './static-inputs.js';

/** Unsqueeze: insert size-1 axes at `axes` (positions in the output; input 1 from opset 13, else attribute). */
export const unsqueezeOp: OpDefinition = {
  opType: 'Unsqueeze',
  compile(node, ctx) {
    const axes = ctx.opset >= 13 ? staticNumbers(node, 1, ctx, 'axes') : attrInts(node, 'axes', []);
    if (!axes || axes.length === 0) throw unsupported(node, ctx, 'no axes given');
    return ([xv]) => {
      const x = toOnnx(xv!);
      const rank = x.rank + axes.length;
      const inserted = new Set(axes.map((a) => normAxis(a, rank)));
      const dims: number[] = [];
      let next = 0;
      for (let i = 0; i < rank; i++) dims.push(inserted.has(i) ? 1 : x.shape[next++]!);
      return [onnxValue(tf.reshape(x, dims))];
    };
  },
};
