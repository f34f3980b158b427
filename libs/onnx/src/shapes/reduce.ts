import { attrInt } from '../attributes.js';
import { DataType } from '../proto.js';
import { like, normAxis, unknownDims } from './dims.js';
import { axesOf } from './reshape.js';
import { entries, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

const REDUCE_OPS = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

/** Axes moved from an attribute to input 1 in opset 13 (ReduceSum) or 18 (the others). */
function reduce(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: x?.elemType ?? 0 }];
  const r = x.shape.length;
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const axes = axesOf(ctx, ctx.node.opType === 'ReduceSum' ? 13 : 18);
  if (axes === null) return [{ elemType: x.elemType, shape: keep ? unknownDims(r) : undefined }];
  if (axes.length === 0 && attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [like(x)];
  const reduced = new Set(axes.length === 0 ? x.shape.map((_, i) => i) : axes.map((a) => normAxis(ctx, a, r)));
  const shape = keep ? x.shape.map((d, i) => (reduced.has(i) ? 1 : d)) : x.shape.filter((_, i) => !reduced.has(i));
  return [{ elemType: x.elemType, shape }];
}

function argReduce(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: DataType.INT64 }];
  const a = normAxis(ctx, attrInt(ctx.node, 'axis', 0), x.shape.length);
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  return [{ elemType: DataType.INT64, shape: keep ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a) }];
}

function topK(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: x?.elemType ?? 0 }, { elemType: DataType.INT64 }];
  const a = normAxis(ctx, attrInt(ctx.node, 'axis', -1), x.shape.length);
  const k = ctx.opset >= 10 ? (ctx.input(1)?.value?.[0] ?? null) : attrInt(ctx.node, 'k', 0);
  const shape = x.shape.map((d, i) => (i === a ? k : d));
  return [{ elemType: x.elemType, shape }, { elemType: DataType.INT64, shape: [...shape] }];
}

export const reduceShapes: ShapeEntry[] = [
  ...entries(REDUCE_OPS, reduce),
  ...entries(['ArgMax', 'ArgMin'], argReduce),
  ...entries(['TopK'], topK),
  ...entries(['NonZero'], (ctx) => [{ elemType: DataType.INT64, shape: [ctx.input(0)?.shape?.length ?? null, null] }]),
];
