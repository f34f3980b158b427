import type { onnx } from '@edgefit/onnx';
import { attrInts, attrString } from '@edgefit/onnx';
import type { CompileContext } from './op-types.js';
import { unsupported } from './static-inputs.js';

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

/** The 2-D window of a Conv or pool, as ONNX attributes describe it. */
export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right] (ONNX order: all begins, then all ends). */
  pads: [number, number, number, number];
  autoPad: AutoPad;
}

export type Pads = [number, number, number, number];

function pair(v: number[], what: string, node: onnx.INodeProto, ctx: CompileContext): [number, number] {
  if (v.length !== 2) throw unsupported(node, ctx, `${what} has ${v.length} spatial dims; only 2-D windows are supported`);
  return [v[0]!, v[1]!];
}

/** Parse kernel_shape/strides/dilations/pads/auto_pad; `kernel` comes from the weights when the attribute is absent. */
export function parseWindow(node: onnx.INodeProto, ctx: CompileContext, kernel?: number[]): Window2d {
  const k = attrInts(node, 'kernel_shape', kernel ?? []);
  if (k.length === 0) throw unsupported(node, ctx, 'kernel_shape is missing and the weights are not static');
  const autoPad = attrString(node, 'auto_pad', 'NOTSET') as AutoPad;
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) throw unsupported(node, ctx, `auto_pad '${autoPad}'`);
  const pads = attrInts(node, 'pads', [0, 0, 0, 0]);
  if (pads.length !== 4) throw unsupported(node, ctx, `pads has ${pads.length} values; only 2-D windows are supported`);
  return {
    kernel: pair(k, 'kernel_shape', node, ctx),
    strides: pair(attrInts(node, 'strides', [1, 1]), 'strides', node, ctx),
    dilations: pair(attrInts(node, 'dilations', [1, 1]), 'dilations', node, ctx),
    pads: pads as Pads,
    autoPad,
  };
}

/** The effective pads for an input of H×W (auto_pad resolved as ONNX defines it). */
export function resolvePads(w: Window2d, inH: number, inW: number): Pads {
  if (w.autoPad === 'NOTSET') return w.pads;
  if (w.autoPad === 'VALID') return [0, 0, 0, 0];
  const total = (size: number, i: 0 | 1) => {
    const span = (w.kernel[i] - 1) * w.dilations[i] + 1;
    return Math.max(0, (Math.ceil(size / w.strides[i]) - 1) * w.strides[i] + span - size);
  };
  const th = total(inH, 0);
  const tw = total(inW, 1);
  // SAME_UPPER puts the odd extra pixel at the end, SAME_LOWER at the beginning.
  const [bh, bw] = w.autoPad === 'SAME_UPPER' ? [Math.floor(th / 2), Math.floor(tw / 2)] : [Math.ceil(th / 2), Math.ceil(tw / 2)];
  return [bh, bw, th - bh, tw - bw];
}

/** tfjs' explicit NHWC padding from ONNX pads. */
export function explicitPadding(p: Pads): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [p[0], p[2]], [p[1], p[3]], [0, 0]];
}
