import { attrInt, attrInts } from '../attributes.js';
import { fmtShape, gatherStrided, isKnown, like, normAxis, tracked, unknownDims } from './dims.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

function gather(ctx: ShapeContext): TensorInfo[] {
  const [data, indices] = [ctx.input(0), ctx.input(1)];
  if (!data?.shape || !indices?.shape) return [{ elemType: data?.elemType ?? 0 }];
  const r = data.shape.length;
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), r);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  let value: number[] | undefined;
  if (r === 1 && data.value && indices.value) {
    const n = data.value.length;
    value = indices.value.map((i) => {
      if (i < -n || i >= n) ctx.fail(`index ${i} is out of range for ${n} elements`);
      return data.value![i < 0 ? i + n : i]!;
    });
  }
  return [{ elemType: data.elemType, shape, value: tracked(value) }];
}

/** Slice parameters from inputs (opset ≥ 10) or attributes (older). */
function sliceParams(ctx: ShapeContext, rank: number) {
  const fromInputs = ctx.opset >= 10;
  const get = (i: number, attr: string): number[] | null | undefined =>
    fromInputs ? (ctx.input(i) ? ctx.input(i)!.value ?? null : undefined) : ctx.node.attribute?.some((a) => a.name === attr) ? attrInts(ctx.node, attr, []) : undefined;
  const [starts, ends] = [get(1, 'starts'), get(2, 'ends')];
  const axes = get(3, 'axes') ?? (starts ? starts.map((_, i) => i) : null);
  const steps = fromInputs ? get(4, '') : undefined;
  return { starts, ends, axes: axes?.map((a) => normAxis(ctx, a, rank)) ?? null, steps: steps === undefined ? axes?.map(() => 1) : steps };
}

function sliceLength(dim: number, start: number, end: number, step: number): { begin: number; length: number } {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    const [b, e] = [Math.min(Math.max(start, 0), dim), Math.min(Math.max(end, 0), dim)];
    return { begin: b, length: Math.max(0, Math.ceil((e - b) / step)) };
  }
  const [b, e] = [Math.min(Math.max(start, 0), dim - 1), Math.min(Math.max(end, -1), dim - 1)];
  return { begin: b, length: Math.max(0, Math.ceil((b - e) / -step)) };
}

function slice(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [like(x)];
  const p = sliceParams(ctx, x.shape.length);
  if (!p.axes || !p.starts || !p.ends || !p.steps) {
    return [{ elemType: x.elemType, shape: p.axes ? x.shape.map((d, i) => (p.axes!.includes(i) ? null : d)) : unknownDims(x.shape.length) }];
  }
  const shape: Dim[] = [...x.shape];
  const begin = x.shape.map(() => 0);
  const stepOf = x.shape.map(() => 1);
  p.axes.forEach((axis, k) => {
    const step = p.steps![k]!;
    if (step === 0) ctx.fail('slice step must not be 0');
    const dim = x.shape![axis];
    if (dim === null) return void (shape[axis] = null);
    const s = sliceLength(dim, p.starts![k]!, p.ends![k]!, step);
    shape[axis] = s.length;
    [begin[axis], stepOf[axis]] = [s.begin, step];
  });
  const value = x.value && isKnown(x.shape) && isKnown(shape) ? gatherStrided(x.value, x.shape, shape, (a, j) => begin[a]! + j * stepOf[a]!) : undefined;
  return [{ elemType: x.elemType, shape, value }];
}

function pad(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  if (!x?.shape) return [like(x)];
  const r = x.shape.length;
  const pads = ctx.opset >= 11 ? ctx.input(1)?.value : attrInts(ctx.node, 'pads', []);
  const axesInput = ctx.opset >= 18 ? ctx.input(3) : undefined;
  const axes = axesInput ? axesInput.value?.map((a) => normAxis(ctx, a, r)) : x.shape.map((_, i) => i);
  if (!pads || !axes) return [{ elemType: x.elemType, shape: unknownDims(r) }];
  if (pads.length !== 2 * axes.length) ctx.fail(`pads [${pads}] must hold 2 values per padded axis of input ${fmtShape(x.shape)}`);
  const shape = [...x.shape];
  axes.forEach((a, k) => {
    const d = shape[a];
    shape[a] = d === null ? null : d + pads[k]! + pads[k + axes.length]!;
    if (shape[a] !== null && shape[a]! < 0) ctx.fail(`pads [${pads}] make axis ${a} negative`);
  });
  return [{ elemType: x.elemType, shape }];
}

function split(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const count = ctx.node.output?.length ?? 1;
  if (!x?.shape) return new Array(count).fill({ elemType: x?.elemType ?? 0 });
  const axis = normAxis(ctx, attrInt(ctx.node, 'axis', 0), x.shape.length);
  const dim = x.shape[axis];
  const given = ctx.opset >= 13 ? (ctx.input(1) ? ctx.input(1)!.value ?? null : undefined) : ctx.node.attribute?.some((a) => a.name === 'split') ? attrInts(ctx.node, 'split', []) : undefined;
  const parts: Dim[] = given === null ? new Array(count).fill(null)
    : given ? given
    : dim === null ? new Array(count).fill(null)
    : Array.from({ length: count }, (_, i) => Math.ceil(dim / count) * (i + 1) <= dim ? Math.ceil(dim / count) : Math.max(0, dim - Math.ceil(dim / count) * i));
  return parts.map((p) => ({ elemType: x.elemType, shape: x.shape!.map((d, i) => (i === axis ? p : d)) }));
}

export const indexingShapes: ShapeEntry[] = [
  ...entries(['Gather'], gather),
  ...entries(['GatherElements'], (ctx) => [{ elemType: ctx.input(0)?.elemType ?? 0, shape: ctx.input(1)?.shape }]),
  ...entries(['Slice'], slice),
  ...entries(['Pad'], pad),
  ...entries(['Split'], split),
];
