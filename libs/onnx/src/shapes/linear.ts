import { attrInt } from '../attributes.js';
import { DataType } from '../proto.js';
import { broadcast, fmtShape } from './dims.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

function sameK(ctx: ShapeContext, ka: Dim, kb: Dim, a: readonly Dim[], b: readonly Dim[]): void {
  if (ka !== null && kb !== null && ka !== kb) ctx.fail(`inner dimensions differ: ${fmtShape(a)} × ${fmtShape(b)} (${ka} ≠ ${kb})`);
}

/** Numpy matmul: 1-D operands are promoted and the added dim dropped; batch dims broadcast. */
export function matmulShape(ctx: ShapeContext, a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): Dim[] | undefined {
  if (!a || !b) return undefined;
  if (a.length === 0 || b.length === 0) ctx.fail('MatMul operands must have rank 1 or more');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  sameK(ctx, a2[a2.length - 1]!, b2[b2.length - 2]!, a, b);
  const batch = broadcast(ctx, [a2.slice(0, -2), b2.slice(0, -2)])!;
  return [...batch, ...(a.length === 1 ? [] : [a2[a2.length - 2]!]), ...(b.length === 1 ? [] : [b2[b2.length - 1]!])];
}

function gemm(ctx: ShapeContext): TensorInfo[] {
  const a = ctx.input(0);
  const b = ctx.input(1);
  const elemType = a?.elemType ?? 0;
  if (!a?.shape || !b?.shape) return [{ elemType, shape: [null, null] }];
  if (a.shape.length !== 2 || b.shape.length !== 2) ctx.fail(`operands ${fmtShape(a.shape)} and ${fmtShape(b.shape)} must both be 2-D`);
  const [m, ka] = attrInt(ctx.node, 'transA', 0) ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = attrInt(ctx.node, 'transB', 0) ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  sameK(ctx, ka, kb, a.shape, b.shape);
  return [{ elemType, shape: [m, n] }];
}

function matmulLike(aIndex: number, bIndex: number, outType: (ctx: ShapeContext) => number) {
  return (ctx: ShapeContext): TensorInfo[] => [{ elemType: outType(ctx), shape: matmulShape(ctx, ctx.input(aIndex)?.shape, ctx.input(bIndex)?.shape) }];
}

/** com.microsoft MatMulNBits: A [..., K] times a packed K×N weight gives [..., N]. */
function matmulNBits(ctx: ShapeContext): TensorInfo[] {
  const a = ctx.input(0);
  const k = attrInt(ctx.node, 'K', 0);
  const n = attrInt(ctx.node, 'N', 0);
  if (k <= 0 || n <= 0) ctx.fail('attributes K and N must be positive');
  if (!a?.shape) return [{ elemType: a?.elemType ?? 0 }];
  const last = a.shape[a.shape.length - 1];
  if (last != null && last !== k) ctx.fail(`input ${fmtShape(a.shape)} must end in K=${k}`);
  return [{ elemType: a.elemType, shape: [...a.shape.slice(0, -1), n] }];
}

export const linearShapes: ShapeEntry[] = [
  ...entries(['Gemm'], gemm),
  ...entries(['MatMul'], matmulLike(0, 1, (c) => c.input(0)?.elemType ?? 0)),
  ...entries(['MatMulInteger'], matmulLike(0, 1, () => DataType.INT32)),
  ...entries(['QLinearMatMul'], matmulLike(0, 3, (c) => c.input(7)?.elemType ?? c.input(0)?.elemType ?? 0)),
  ...entries(['MatMulNBits'], matmulNBits, 'com.microsoft'),
];
