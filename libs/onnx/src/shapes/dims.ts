import { attrInt, attrInts, attrString } from '../attributes.js';
import type { Dim, ShapeContext, TensorInfo } from './types.js';

/** Values are tracked only for tensors up to this many elements (shapes, axes, scales). */
export const MAX_TRACKED_VALUES = 1024;

/** Element count, or null if any dimension (or the rank) is unknown. */
export function numel(shape: readonly Dim[] | undefined): number | null {
  if (!shape) return null;
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

export function isKnown(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => d !== null);
}

/** Same shape (and value), maybe another element type. */
export function like(info: TensorInfo | undefined, elemType = info?.elemType ?? 0): TensorInfo {
  return { elemType, shape: info?.shape ? [...info.shape] : undefined, value: info?.value };
}

/** A shape known only by rank. */
export function unknownDims(rank: number): Dim[] {
  return new Array<Dim>(rank).fill(null);
}

export function normAxis(ctx: ShapeContext, axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) ctx.fail(`${what} ${axis} is out of range for a rank-${rank} input`);
  return a;
}

/** Numpy-style multidirectional broadcasting; incompatible known dims are an error. */
export function broadcast(ctx: ShapeContext, shapes: (readonly Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const rank = Math.max(0, ...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of shapes as Dim[][]) {
      const k = s.length - rank + i;
      const d = k < 0 ? 1 : s[k]!; // not `?? 1`: null (unknown) must stay null
      if (d === 1) continue;
      if (d === null) dim = dim === 1 ? null : dim;
      else if (dim === 1 || dim === null) dim = d;
      else if (dim !== d) ctx.fail(`cannot broadcast shapes ${shapes.map((x) => fmtShape(x)).join(' and ')}`);
    }
    out.push(dim);
  }
  return out;
}

export function fmtShape(shape: readonly Dim[] | undefined): string {
  return shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : '[?]';
}

/** A tracked value when it is small enough to keep. */
export function tracked(values: number[] | undefined): number[] | undefined {
  return values && values.length <= MAX_TRACKED_VALUES ? values : undefined;
}

export interface WindowParams {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: string;
  ceilMode: boolean;
}

/** A Conv / pool node's window attributes (strides, dilations, pads, auto_pad, ceil_mode) around its kernel. */
export function windowParams(ctx: ShapeContext, kernel: number[]): WindowParams {
  return {
    kernel,
    strides: attrInts(ctx.node, 'strides', []),
    dilations: attrInts(ctx.node, 'dilations', []),
    pads: attrInts(ctx.node, 'pads', []),
    autoPad: attrString(ctx.node, 'auto_pad', 'NOTSET'),
    ceilMode: attrInt(ctx.node, 'ceil_mode', 0) === 1,
  };
}

/**
 * Output size of a sliding window (Conv, pools) per spatial dimension,
 * following onnxruntime: SAME_* pads to ceil(in / stride); ceil_mode drops a
 * last window that would start inside the end padding.
 */
export function windowOutput(ctx: ShapeContext, input: readonly Dim[], p: WindowParams): Dim[] {
  const r = input.length;
  const out = input.map((inDim, i) => {
    if (inDim === null) return null;
    const s = p.strides[i] ?? 1;
    const dk = ((p.kernel[i] ?? 1) - 1) * (p.dilations[i] ?? 1) + 1;
    if (p.autoPad === 'SAME_UPPER' || p.autoPad === 'SAME_LOWER') return Math.ceil(inDim / s);
    const pb = p.autoPad === 'VALID' ? 0 : p.pads[i] ?? 0;
    const pe = p.autoPad === 'VALID' ? 0 : p.pads[i + r] ?? 0;
    const span = inDim + pb + pe - dk;
    if (!p.ceilMode) return Math.floor(span / s) + 1;
    const n = Math.ceil(span / s) + 1;
    return (n - 1) * s >= inDim + pb ? n - 1 : n;
  });
  if (out.some((d) => d !== null && d < 1)) ctx.fail(`window of kernel [${p.kernel}] does not fit input ${fmtShape(input)} (output would be ${fmtShape(out)})`);
  return out;
}

/** Row-major strides of a known shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/**
 * Values of a strided view of a small tensor: output index j along axis a
 * reads input index begin[a] + j·step[a]. Serves Slice and Transpose.
 */
export function gatherStrided(values: readonly number[], inShape: readonly number[], outShape: readonly number[], source: (axis: number, j: number) => number, axisOf: (outAxis: number) => number = (a) => a): number[] | undefined {
  const n = outShape.reduce((a, b) => a * b, 1);
  if (n > MAX_TRACKED_VALUES) return undefined;
  const inStrides = stridesOf(inShape);
  const outStrides = stridesOf(outShape);
  return Array.from({ length: n }, (_, flat) => {
    let offset = 0;
    outShape.forEach((_, a) => {
      const j = Math.floor(flat / outStrides[a]!) % outShape[a]!;
      offset += source(a, j) * inStrides[axisOf(a)]!;
    });
    return values[offset]!;
  });
}
