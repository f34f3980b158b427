import * as tf from '@tensorflow/tfjs';
import { attrInt } from '@edgefit/onnx';
import { toNhwc } from '../executor/layout.js';
import { nhwcValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { parsePoolWindow, poolPads } from './pool-window.js';
import { explicitPadding } from './spatial.js';

/**
 * AveragePool (2-D). tfjs leaves padded cells out of the average, which is
 * count_include_pad = 0; for count_include_pad = 1 the ONNX pads are applied
 * as real zeros first (ceil_mode's extra cells still do not count, as in
 * onnxruntime).
 */
export const averagePoolOp: OpDefinition = {
  opType: 'AveragePool',
  compile(node, ctx) {
    const w = parsePoolWindow(node, ctx);
    const includePad = attrInt(node, 'count_include_pad', 0) === 1;
    return ([xv]) => {
      let x = toNhwc(xv!, ctx.where);
      const { pads, extra } = poolPads(w, x.shape[1], x.shape[2]);
      if (includePad) {
        x = tf.pad(x, explicitPadding(pads));
        return [nhwcValue(tf.avgPool(x, w.kernel, w.strides, explicitPadding([0, 0, extra[0], extra[1]])))];
      }
      return [nhwcValue(tf.avgPool(x, w.kernel, w.strides, explicitPadding([pads[0], pads[1], pads[2] + extra[0], pads[3] + extra[1]])))];
    };
  },
};
