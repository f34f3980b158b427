import * as tf from '@tensorflow/tfjs';
import { nhwcValue, onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';

/** Mean over all spatial axes, kept as size-1 axes. */
export const globalAveragePoolOp: OpDefinition = {
  opType: 'GlobalAveragePool',
  compile() {
    return ([x]) => {
      if (x!.nhwc) return [nhwcValue(tf.mean(x!.tensor, [1, 2], true))];
      const axes = Array.from({ length: x!.tensor.rank - 2 }, (_, i) => i + 2);
      return [onnxValue(tf.mean(x!.tensor, axes, true))];
    };
  },
};
