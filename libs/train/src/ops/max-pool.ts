import * as tf from '@tensorflow/tfjs';
import { toNhwc } from '../executor/layout.js';
import { nhwcValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { parsePoolWindow, poolPads } from './pool-window.js';
import { explicitPadding } from './spatial.js';

/** MaxPool (2-D, no dilation, no Indices output); padded cells never win, as in ONNX. */
export const maxPoolOp: OpDefinition = {
  opType: 'MaxPool',
  compile(node, ctx) {
    const w = parsePoolWindow(node, ctx);
    return ([xv]) => {
      const x = toNhwc(xv!, ctx.where);
      const { pads, extra } = poolPads(w, x.shape[1], x.shape[2]);
      const padding = explicitPadding([pads[0], pads[1], pads[2] + extra[0], pads[3] + extra[1]]);
      return [nhwcValue(tf.maxPool(x, w.kernel, w.strides, padding))];
    };
  },
};
