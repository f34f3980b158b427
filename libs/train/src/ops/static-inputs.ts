import { UnsupportedOperatorError } from '@edgefit/core';
import { tensorToFloat32, tensorToNumbers, tensorDims, type onnx } from '@edgefit/onnx';
import type { CompileContext } from './op-types.js';

/** The error for a node the table knows but cannot run in this form. */
export function unsupported(node: onnx.INodeProto, ctx: CompileContext, reason: string): UnsupportedOperatorError {
  return new UnsupportedOperatorError(node.opType ?? '?', `in ${ctx.where}: ${reason}`);
}

/** The static tensor behind input `index`; throws if the input is present but computed at run time. */
export function staticTensor(node: onnx.INodeProto, index: number, ctx: CompileContext, what: string): onnx.ITensorProto | undefined {
  const name = node.input?.[index];
  if (!name) return undefined;
  const t = ctx.constant(name);
  if (!t) throw unsupported(node, ctx, `${what} (input ${index}, '${name}') must be an initializer or a Constant; computed ${what}s are not supported`);
  return t;
}

export function staticNumbers(node: onnx.INodeProto, index: number, ctx: CompileContext, what: string): number[] | undefined {
  const t = staticTensor(node, index, ctx, what);
  return t ? tensorToNumbers(t, ctx.where) : undefined;
}

export function staticFloats(node: onnx.INodeProto, index: number, ctx: CompileContext, what: string): { values: Float32Array; dims: number[] } | undefined {
  const t = staticTensor(node, index, ctx, what);
  return t ? { values: tensorToFloat32(t, ctx.where), dims: tensorDims(t) } : undefined;
}

/** Normalize a possibly negative axis against a rank. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new RangeError(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
