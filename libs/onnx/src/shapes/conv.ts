import { attrInt, attrInts, attrString } from '../attributes.js';
import { DataType } from '../proto.js';
import { fmtShape, windowOutput, windowParams } from './dims.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

/** Where each conv-like op keeps its data input, weight, and what type it outputs. */
interface ConvLayout {
  x: number;
  w: number;
  outType: (ctx: ShapeContext) => number;
}

function convOutput(ctx: ShapeContext, layout: ConvLayout): TensorInfo[] {
  const x = ctx.input(layout.x);
  const w = ctx.input(layout.w);
  const elemType = layout.outType(ctx);
  if (!x?.shape || !w?.shape) return [{ elemType, shape: x?.shape ? new Array<Dim>(x.shape.length).fill(null) : undefined }];
  if (x.shape.length < 3 || w.shape.length !== x.shape.length) {
    ctx.fail(`input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} must have the same rank, at least 3 (N, C, spatial…)`);
  }
  const group = attrInt(ctx.node, 'group', 1);
  const [cIn, cPerGroup] = [x.shape[1], w.shape[1]];
  if (cIn != null && cPerGroup != null && cIn !== cPerGroup * group) {
    ctx.fail(`input has ${cIn} channels but weight ${fmtShape(w.shape)} with group ${group} expects ${cPerGroup * group}`);
  }
  const spatial = x.shape.slice(2);
  const kernel = attrInts(ctx.node, 'kernel_shape', w.shape.slice(2).map((d) => d ?? 1));
  // Conv has no ceil_mode: its windows always floor
  const out = windowOutput(ctx, spatial, { ...windowParams(ctx, kernel), ceilMode: false });
  return [{ elemType, shape: [x.shape[0]!, w.shape[0]!, ...out] }];
}

/** ConvTranspose: out = stride·(in−1) + output_padding + dilated kernel − pads, or output_shape. */
function convTransposeOutput(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const w = ctx.input(1);
  const elemType = x?.elemType ?? 0;
  if (!x?.shape || !w?.shape) return [{ elemType }];
  const r = x.shape.length - 2;
  const group = attrInt(ctx.node, 'group', 1);
  const cOut = w.shape[1] == null ? null : w.shape[1] * group;
  const kernel = attrInts(ctx.node, 'kernel_shape', w.shape.slice(2).map((d) => d ?? 1));
  const strides = attrInts(ctx.node, 'strides', []);
  const dilations = attrInts(ctx.node, 'dilations', []);
  const pads = attrInts(ctx.node, 'pads', []);
  const outPad = attrInts(ctx.node, 'output_padding', []);
  const explicit = attrInts(ctx.node, 'output_shape', []);
  const autoPad = attrString(ctx.node, 'auto_pad', 'NOTSET');
  const spatial = x.shape.slice(2).map((inDim, i) => {
    if (explicit.length > 0) return explicit[explicit.length - r + i]!;
    if (inDim === null) return null;
    const s = strides[i] ?? 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return inDim * s;
    const padding = autoPad === 'VALID' ? 0 : (pads[i] ?? 0) + (pads[i + r] ?? 0);
    return s * (inDim - 1) + (outPad[i] ?? 0) + ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1 - padding;
  });
  if (spatial.some((d) => d !== null && d < 1)) ctx.fail(`output spatial shape ${fmtShape(spatial)} is empty`);
  return [{ elemType, shape: [x.shape[0]!, cOut, ...spatial] }];
}

export const convShapes: ShapeEntry[] = [
  ...entries(['Conv'], (ctx) => convOutput(ctx, { x: 0, w: 1, outType: (c) => c.input(0)?.elemType ?? 0 })),
  ...entries(['ConvInteger'], (ctx) => convOutput(ctx, { x: 0, w: 1, outType: () => DataType.INT32 })),
  ...entries(['QLinearConv'], (ctx) => convOutput(ctx, { x: 0, w: 3, outType: (c) => c.input(7)?.elemType ?? c.input(0)?.elemType ?? 0 })),
  ...entries(['ConvTranspose'], convTransposeOutput),
];
