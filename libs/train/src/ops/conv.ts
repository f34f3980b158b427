import * as tf from '@tensorflow/tfjs';
import { attrInt, tensorDims } from '@edgefit/onnx';
import { toNhwc, toOnnx } from '../executor/layout.js';
import { nhwcValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { matMul2d } from './plain-matmul.js';
import { dilateFilter } from './dilate-filter.js';
import { explicitPadding, parseWindow, resolvePads, type Pads } from './spatial.js';
import { unsupported } from './static-inputs.js';

/** ONNX OIHW weights → tfjs HWIO. */
function hwio(w: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]);
}

/**
 * A 1×1, stride-1, unpadded conv is a matrix product over all pixels; as a
 * matMul its forward and both gradients run on XNNPACK's GEMM instead of the
 * (much slower) conv backprop kernels.
 */
function isPointwise(w: tf.Tensor4D, group: number, strides: [number, number], pads: Pads): boolean {
  return group === 1 && w.shape[2] === 1 && w.shape[3] === 1 && strides[0] === 1 && strides[1] === 1 && pads.every((p) => p === 0);
}

function convGroup(x: tf.Tensor4D, w: tf.Tensor4D, group: number, strides: [number, number], pads: Pads): tf.Tensor4D {
  const pad = explicitPadding(pads);
  const [n, h, wd, inC] = x.shape;
  if (isPointwise(w, group, strides, pads)) {
    const outC = w.shape[0];
    const y = matMul2d(tf.reshape(x, [n * h * wd, inC]), tf.reshape(w, [outC, inC]), false, true);
    return tf.reshape(y, [n, h, wd, outC]);
  }
  if (group === 1) return tf.conv2d(x, hwio(w), strides, pad);
  const outC = w.shape[0];
  if (group === inC && outC % inC === 0) {
    // Depthwise: ONNX output channel c·m + j reads input channel c, as tfjs' depthwise does.
    const [kh, kw] = [w.shape[2], w.shape[3]];
    return tf.depthwiseConv2d(x, tf.reshape(hwio(w), [kh, kw, inC, outC / inC]) as tf.Tensor4D, strides, pad) as tf.Tensor4D;
  }
  // General grouped conv: one conv per group, channels concatenated back in order.
  const xs = tf.split(x, group, 3) as tf.Tensor4D[];
  const ws = tf.split(w, group, 0) as tf.Tensor4D[];
  return tf.concat(xs.map((xi, g) => tf.conv2d(xi, hwio(ws[g]!), strides, pad)), 3);
}

/** Conv (2-D): groups incl. depthwise, strides, pads, dilations, auto_pad; activations NHWC. */
export const convOp: OpDefinition = {
  opType: 'Conv',
  compile(node, ctx) {
    const weight = ctx.constant(node.input?.[1] ?? '');
    const wDims = weight ? tensorDims(weight) : undefined;
    if (wDims && wDims.length !== 4) throw unsupported(node, ctx, `weights of rank ${wDims.length}; only 2-D convolutions are supported`);
    const window = parseWindow(node, ctx, wDims?.slice(2));
    const group = attrInt(node, 'group', 1);
    const [dh, dw] = window.dilations;
    return ([xv, wv, bv]) => {
      const x = toNhwc(xv!, ctx.where);
      const w = dilateFilter(toOnnx(wv!) as tf.Tensor4D, dh, dw);
      const pads = resolvePads(window, x.shape[1], x.shape[2]);
      let y: tf.Tensor = convGroup(x, w, group, window.strides, pads);
      if (bv) y = tf.add(y, toOnnx(bv)); // bias [C] broadcasts over NHWC's last axis
      return [nhwcValue(y)];
    };
  },
};
