import type { onnx } from '@edgefit/onnx';
import { attrInt } from '@edgefit/onnx';
import type { CompileContext } from './op-types.js';
import { parseWindow, resolvePads, type Pads, type Window2d } from './spatial.js';
import { unsupported } from './static-inputs.js';

export interface PoolWindow extends Window2d {
  ceilMode: boolean;
}

export function parsePoolWindow(node: onnx.INodeProto, ctx: CompileContext): PoolWindow {
  const w = parseWindow(node, ctx);
  if (w.dilations.some((d) => d !== 1)) throw unsupported(node, ctx, `dilations [${w.dilations}] (only 1 is supported for pooling)`);
  if ((node.output ?? []).filter(Boolean).length > 1) throw unsupported(node, ctx, 'the Indices output is not supported');
  return { ...w, ceilMode: attrInt(node, 'ceil_mode', 0) === 1 };
}

/**
 * The pads of the ONNX pool plus the extra end padding that ceil_mode needs.
 * tfjs pools ignore padded cells (max) or leave them out of the count (avg),
 * so the extra cells change nothing but the output size — as in onnxruntime,
 * where a window may not start past the input and its begin padding.
 */
export function poolPads(w: PoolWindow, inH: number, inW: number): { pads: Pads; extra: [number, number] } {
  const pads = resolvePads(w, inH, inW);
  const extraFor = (size: number, i: 0 | 1): number => {
    if (!w.ceilMode) return 0;
    const [begin, end] = i === 0 ? [pads[0], pads[2]] : [pads[1], pads[3]];
    const span = size + begin + end;
    let out = Math.ceil((span - w.kernel[i]) / w.strides[i]) + 1;
    if ((out - 1) * w.strides[i] >= size + begin) out -= 1;
    return Math.max(0, (out - 1) * w.strides[i] + w.kernel[i] - span);
  };
  return { pads, extra: [extraFor(inH, 0), extraFor(inW, 1)] };
}
