import * as tf from '@tensorflow/tfjs';
import { getAttr, tensorToNumbers } from '@edgefit/onnx';
import { sameLayout } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';

// tfjs' clipByValue wants finite bounds; float32's range stands in for "no bound".
const FLOAT_MAX = 3.4028234663852886e38;

/** Clip: bounds from inputs 1/2 (opset ≥ 11) or attributes min/max (older opsets). */
export const clipOp: OpDefinition = {
  opType: 'Clip',
  compile(node, ctx) {
    /** A number, or undefined when the bound is computed at run time. */
    const boundOf = (index: number, attr: string, fallback: number): number | undefined => {
      const name = node.input?.[index];
      if (!name) {
        const a = getAttr(node, attr);
        return typeof a === 'number' ? a : fallback;
      }
      const t = ctx.constant(name);
      return t ? Math.min(FLOAT_MAX, Math.max(-FLOAT_MAX, tensorToNumbers(t, ctx.where)[0] ?? fallback)) : undefined;
    };
    const lo = boundOf(1, 'min', -FLOAT_MAX);
    const hi = boundOf(2, 'max', FLOAT_MAX);
    return ([x, minV, maxV]) => {
      if (lo !== undefined && hi !== undefined) return [sameLayout(x!, tf.clipByValue(x!.tensor, lo, hi))];
      // Computed bounds are scalars, so element-wise max/min keep the layout.
      const floor = tf.maximum(x!.tensor, lo ?? minV!.tensor);
      return [sameLayout(x!, tf.minimum(floor, hi ?? maxV!.tensor))];
    };
  },
};
