import { attrInt, attrInts } from '../attributes.js';
import { DataType } from '../proto.js';
import { fmtShape, gatherStrided, isKnown, like, normAxis, numel, tracked, unknownDims } from './dims.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

/** Axes from the attribute (older opsets) or from input 1 (newer); null when not known statically. */
export function axesOf(ctx: ShapeContext, inputSinceOpset: number, fallback: number[] | null = []): number[] | null {
  if (ctx.opset >= inputSinceOpset) {
    const input = ctx.input(1);
    if (!input) return fallback;
    return input.value ?? null;
  }
  return attrInts(ctx.node, 'axes', fallback ?? []);
}

function flatten(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: x?.elemType ?? 0, shape: [null, null] }];
  const r = x.shape.length;
  const axis = attrInt(ctx.node, 'axis', 1);
  const a = axis < 0 ? axis + r : axis;
  if (a < 0 || a > r) ctx.fail(`axis ${axis} is out of range for input ${fmtShape(x.shape)}`);
  return [{ elemType: x.elemType, shape: [numel(x.shape.slice(0, a)), numel(x.shape.slice(a))], value: x.value }];
}

function reshape(ctx: ShapeContext): TensorInfo[] {
  const [x, target] = [ctx.input(0), ctx.input(1)];
  const elemType = x?.elemType ?? 0;
  if (!target?.value) {
    const rank = target?.shape?.[0];
    return [{ elemType, shape: rank == null ? undefined : unknownDims(rank) }];
  }
  const allowZero = attrInt(ctx.node, 'allowzero', 0) === 1;
  const dims: Dim[] = target.value.map((d, i) => (d === 0 && !allowZero ? (x?.shape?.[i] ?? null) : d));
  const holes = dims.filter((d) => d === -1).length;
  if (holes > 1 || dims.some((d) => d !== null && d < -1)) ctx.fail(`shape [${target.value}] is invalid: at most one -1 and no other negative dims`);
  const total = numel(x?.shape);
  const rest = numel(dims.filter((d) => d !== -1));
  if (holes === 1) {
    const fill = total !== null && rest !== null && rest !== 0 ? total / rest : null;
    if (fill !== null && !Number.isInteger(fill)) ctx.fail(`cannot reshape ${fmtShape(x?.shape)} to [${target.value}]`);
    dims[dims.indexOf(-1)] = fill;
  } else if (total !== null && rest !== null && total !== rest) {
    ctx.fail(`cannot reshape ${fmtShape(x?.shape)} (${total} elements) to [${target.value}] (${rest} elements)`);
  }
  return [{ elemType, shape: dims, value: x?.value }];
}

function transpose(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [like(x)];
  const r = x.shape.length;
  const perm = attrInts(ctx.node, 'perm', Array.from({ length: r }, (_, i) => r - 1 - i));
  if (perm.length !== r || new Set(perm.map((p) => normAxis(ctx, p, r, 'perm entry'))).size !== r) ctx.fail(`perm [${perm}] is not a permutation of ${r} axes`);
  const axes = perm.map((p) => normAxis(ctx, p, r));
  const shape = axes.map((a) => x.shape![a]!);
  const value = x.value && isKnown(x.shape) && isKnown(shape) ? gatherStrided(x.value, x.shape, shape, (_, j) => j, (a) => axes[a]!) : undefined;
  return [{ elemType: x.elemType, shape, value }];
}

function squeeze(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const axes = axesOf(ctx, 13);
  if (!x?.shape || axes === null) return [{ elemType: x?.elemType ?? 0 }];
  const r = x.shape.length;
  if (axes.length === 0) {
    if (!isKnown(x.shape)) return [{ elemType: x.elemType }];
    return [{ elemType: x.elemType, shape: x.shape.filter((d) => d !== 1), value: x.value }];
  }
  const drop = new Set(axes.map((a) => normAxis(ctx, a, r)));
  for (const a of drop) if (x.shape[a] !== null && x.shape[a] !== 1) ctx.fail(`cannot squeeze axis ${a} of size ${x.shape[a]}`);
  return [{ elemType: x.elemType, shape: x.shape.filter((_, i) => !drop.has(i)), value: x.value }];
}

function unsqueeze(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const axes = axesOf(ctx, 13);
  if (!x?.shape || axes === null) return [{ elemType: x?.elemType ?? 0 }];
  const r = x.shape.length + axes.length;
  const add = new Set(axes.map((a) => normAxis(ctx, a, r)));
  const rest = [...x.shape];
  return [{ elemType: x.elemType, shape: Array.from({ length: r }, (_, i) => (add.has(i) ? 1 : rest.shift()!)), value: x.value }];
}

function concat(ctx: ShapeContext): TensorInfo[] {
  const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
  const elemType = inputs.find((i) => i?.elemType)?.elemType ?? 0;
  if (inputs.some((i) => !i?.shape)) return [{ elemType }];
  const shapes = inputs.map((i) => i!.shape!);
  const r = shapes[0]!.length;
  if (shapes.some((s) => s.length !== r)) ctx.fail(`inputs ${shapes.map(fmtShape).join(', ')} must all have the same rank`);
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), r);
  const shape = shapes[0]!.map((_, d) => {
    if (d === axis) return shapes.reduce<Dim>((sum, s) => (sum === null || s[d] === null ? null : sum + s[d]!), 0);
    const known = shapes.map((s) => s[d]).filter((v): v is number => v !== null);
    if (new Set(known).size > 1) ctx.fail(`inputs ${shapes.map(fmtShape).join(', ')} differ outside axis ${axis}`);
    return known[0] ?? null;
  });
  const value = r === 1 && inputs.every((i) => i!.value) ? tracked(inputs.flatMap((i) => i!.value!)) : undefined;
  return [{ elemType, shape, value }];
}

function shapeOf(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [{ elemType: DataType.INT64, shape: [null] }];
  const r = x.shape.length;
  const clamp = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
  const dims = x.shape.slice(clamp(attrInt(ctx.node, 'start', 0)), clamp(attrInt(ctx.node, 'end', r)));
  return [{ elemType: DataType.INT64, shape: [dims.length], value: isKnown(dims) ? dims : undefined }];
}

function size(ctx: ShapeContext): TensorInfo[] {
  const n = numel(ctx.input(0)?.shape);
  return [{ elemType: DataType.INT64, shape: [], value: n === null ? undefined : [n] }];
}

export const reshapeShapes: ShapeEntry[] = [
  ...entries(['Flatten'], flatten),
  ...entries(['Reshape'], reshape),
  ...entries(['Transpose'], transpose),
  ...entries(['Squeeze'], squeeze),
  ...entries(['Unsqueeze'], unsqueeze),
  ...entries(['Concat'], concat),
  ...entries(['Shape'], shapeOf),
  ...entries(['Size'], size),
];
