import { attrInts, attrString, getAttr } from '../attributes.js';
import { DataType, onnx } from '../proto.js';
import { tensorToNumbers } from '../tensor.js';
import { constantTensor } from '../walk.js';
import { MAX_TRACKED_VALUES, broadcast, fmtShape, numel, unknownDims } from './dims.js';
import { infoOfTensor } from './tensor-info.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

/** Shape given as the contents of input i; only the rank when the contents are not known. */
function shapeFromInput(ctx: ShapeContext, i: number): Dim[] | undefined {
  const s = ctx.input(i);
  if (s?.value) {
    if (s.value.some((d) => d < 0)) ctx.fail(`shape input [${s.value}] has a negative dimension`);
    return [...s.value];
  }
  const rank = s?.shape?.[0];
  return rank == null ? undefined : unknownDims(rank);
}

function constant(ctx: ShapeContext): TensorInfo[] {
  const t = constantTensor(ctx.node);
  if (!t) return [{ elemType: ctx.node.attribute?.some((a) => a.name?.startsWith('value_string')) ? DataType.STRING : 0 }];
  return [infoOfTensor(t, ctx.where)];
}

function constantOfShape(ctx: ShapeContext): TensorInfo[] {
  const fill = getAttr(ctx.node, 'value') as onnx.ITensorProto | undefined;
  const elemType = fill?.dataType ?? DataType.FLOAT;
  const shape = shapeFromInput(ctx, 0);
  const n = numel(shape);
  // Never materialize a large fill: only small results are tracked as values.
  const fillValue = fill ? (tensorToNumbers(fill, ctx.where)[0] ?? 0) : 0;
  return [{ elemType, shape, value: n !== null && n <= MAX_TRACKED_VALUES ? new Array<number>(n).fill(fillValue) : undefined }];
}

function range(ctx: ShapeContext): TensorInfo[] {
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.input(i)?.value?.[0]);
  const elemType = ctx.input(0)?.elemType ?? 0;
  if (start === undefined || limit === undefined || delta === undefined) return [{ elemType, shape: [null] }];
  if (delta === 0) ctx.fail('delta must not be 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  return [{ elemType, shape: [n], value: n <= MAX_TRACKED_VALUES ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined }];
}

function expand(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  return [{ elemType: x?.elemType ?? 0, shape: broadcast(ctx, [x?.shape, shapeFromInput(ctx, 1)]) }];
}

function tile(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const repeats = ctx.input(1)?.value;
  if (!x?.shape) return [{ elemType: x?.elemType ?? 0 }];
  if (!repeats) return [{ elemType: x.elemType, shape: unknownDims(x.shape.length) }];
  if (repeats.length !== x.shape.length) ctx.fail(`repeats [${repeats}] must have one entry per axis of input ${fmtShape(x.shape)}`);
  return [{ elemType: x.elemType, shape: x.shape.map((d, i) => (d === null ? null : d * repeats[i]!)) }];
}

/** Resize / Upsample: explicit sizes, or floor(dim × scale) per axis. */
function resize(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: x?.elemType ?? 0 }];
  const r = x.shape.length;
  const [scalesAt, sizesAt] = ctx.node.opType === 'Upsample' || ctx.opset < 11 ? [1, -1] : [2, 3];
  const scales = ctx.opset < 9 ? getAttr(ctx.node, 'scales') as number[] | undefined : ctx.input(scalesAt)?.value;
  const sizes = sizesAt > 0 ? ctx.input(sizesAt)?.value : undefined;
  const axes = attrInts(ctx.node, 'axes', x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + r : a));
  const shape: Dim[] = [...x.shape];
  if (sizes && sizes.length > 0) {
    const policy = attrString(ctx.node, 'keep_aspect_ratio_policy', 'stretch');
    const ratios = axes.map((a, k) => (x.shape![a] ? sizes[k]! / x.shape![a]! : null));
    const pick = policy === 'not_larger' ? Math.min : Math.max;
    const common = ratios.every((q) => q !== null) ? pick(...(ratios as number[])) : null;
    axes.forEach((a, k) => {
      const d = x.shape![a];
      shape[a] = policy === 'stretch' ? sizes[k]! : d === null || common === null ? null : Math.round(d * common);
    });
  } else if (scales && scales.length > 0) {
    axes.forEach((a, k) => (shape[a] = x.shape![a] === null ? null : Math.floor(x.shape![a]! * scales[k]!)));
  } else {
    return [{ elemType: x.elemType, shape: unknownDims(r) }];
  }
  return [{ elemType: x.elemType, shape }];
}

export const generateShapes: ShapeEntry[] = [
  ...entries(['Constant'], constant),
  ...entries(['ConstantOfShape'], constantOfShape),
  ...entries(['Range'], range),
  ...entries(['Expand'], expand),
  ...entries(['Tile'], tile),
  ...entries(['Resize', 'Upsample'], resize),
];
