import { attrInt, attrInts } from '../attributes.js';
import { DataType } from '../proto.js';
import { broadcast, fmtShape, like, windowOutput, windowParams } from './dims.js';
import { matmulShape } from './linear.js';
import { entries, type Dim, type ShapeContext, type ShapeEntry, type ShapeFn } from './types.js';

/**
 * Shapes of the kernels onnxruntime's CPU provider puts into a graph when it
 * optimizes it (session option `optimizedModelFilePath` writes that graph):
 * NCHWc convolutions and pools with their reorders (domain
 * com.microsoft.nchwc), fused float kernels, and the NHWC / integer forms of
 * quantized kernels (com.microsoft). They are not operators a user's model
 * may contain, so they live in their own registry (executedGraphShapes), never
 * in the allow-list of uploaded models.
 */
/** The domain of onnxruntime's blocked-layout (NCHWc) kernels. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';
const MS = 'com.microsoft';

/**
 * A Conv whose weight is input `w`, on an input in NCHW (or NHWC with
 * channels_last); an NCHWc weight is already padded to the block size, so
 * the output has W's first dim as channels, padding included.
 */
function conv(xIndex: number, wIndex: number, outType: (ctx: ShapeContext) => number, channelsLast: (ctx: ShapeContext) => boolean): ShapeFn {
  return (ctx) => {
    const x = ctx.input(xIndex);
    const w = ctx.input(wIndex);
    const elemType = outType(ctx);
    if (!x?.shape || !w?.shape) return [{ elemType }];
    if (x.shape.length !== 4 || w.shape.length !== 4) ctx.fail(`input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} must be 4-D`);
    const last = channelsLast(ctx);
    const spatial = last ? x.shape.slice(1, 3) : x.shape.slice(2);
    const out = windowOutput(ctx, spatial, windowParams(ctx, attrInts(ctx.node, 'kernel_shape', w.shape.slice(2).map((d) => d ?? 1))));
    return [{ elemType, shape: last ? [x.shape[0]!, ...out, w.shape[0]!] : [x.shape[0]!, w.shape[0]!, ...out] }];
  };
}

function pool(channelsLast: boolean): ShapeFn {
  return (ctx) => {
    const x = ctx.input(0);
    if (!x?.shape) return [like(x)];
    if (x.shape.length !== 4) ctx.fail(`input ${fmtShape(x.shape)} must be 4-D`);
    const spatial = channelsLast ? x.shape.slice(1, 3) : x.shape.slice(2);
    const global = ctx.node.opType?.startsWith('Global') ?? false;
    const out = global ? [1, 1] : windowOutput(ctx, spatial, windowParams(ctx, attrInts(ctx.node, 'kernel_shape', [])));
    const c = channelsLast ? x.shape[3]! : x.shape[1]!;
    return [{ elemType: x.elemType, shape: channelsLast ? [x.shape[0]!, ...out, c] : [x.shape[0]!, c, ...out] }];
  };
}

/** ReorderInput: NCHW (or NHWC) to NCHWc; the channel count is already a multiple of the block. */
const reorderInput: ShapeFn = (ctx) => {
  const x = ctx.input(0);
  if (!x?.shape || x.shape.length !== 4) return [like(x)];
  const s = x.shape;
  return [{ elemType: x.elemType, shape: attrInt(ctx.node, 'channels_last', 0) ? [s[0]!, s[3]!, s[1]!, s[2]!] : [...s] }];
};

/** ReorderOutput: NCHWc back to NCHW (or NHWC) with the logical channel count. */
const reorderOutput: ShapeFn = (ctx) => {
  const x = ctx.input(0);
  const channels = attrInt(ctx.node, 'channels', 0);
  if (channels <= 0) ctx.fail('attribute channels must be positive');
  if (!x?.shape || x.shape.length !== 4) return [like(x)];
  const [n, , h, w] = x.shape as Dim[];
  return [{ elemType: x.elemType, shape: attrInt(ctx.node, 'channels_last', 0) ? [n!, h!, w!, channels] : [n!, channels, h!, w!] }];
};

/** Gemm-shaped kernels: A (index a) times B (index b), transA / transB. */
function gemmLike(a: number, b: number, outType: (ctx: ShapeContext) => number): ShapeFn {
  return (ctx) => {
    const sa = ctx.input(a)?.shape;
    const sb = ctx.input(b)?.shape;
    if (!sa || !sb || sa.length !== 2 || sb.length !== 2) return [{ elemType: outType(ctx), shape: [null, null] }];
    const m = attrInt(ctx.node, 'transA', 0) ? sa[1]! : sa[0]!;
    const n = attrInt(ctx.node, 'transB', 0) ? sb[0]! : sb[1]!;
    return [{ elemType: outType(ctx), shape: [m, n] }];
  };
}

const matmul = (a: number, b: number, outType: (ctx: ShapeContext) => number): ShapeFn => (ctx) => [{ elemType: outType(ctx), shape: matmulShape(ctx, ctx.input(a)?.shape, ctx.input(b)?.shape) }];

/** QLinear binary ops: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp. */
const qlinearBinary: ShapeFn = (ctx) => [{ elemType: ctx.input(0)?.elemType ?? 0, shape: broadcast(ctx, [ctx.input(0)?.shape, ctx.input(3)?.shape]) }];

const typeOf = (i: number, fallback: number) => (ctx: ShapeContext) => ctx.input(i)?.elemType || fallback;
const float = () => DataType.FLOAT;
const channelsLastAttr = (ctx: ShapeContext) => attrInt(ctx.node, 'channels_last', 0) === 1;

export const onnxruntimeKernelShapes: ShapeEntry[] = [
  ...entries(['Conv'], conv(0, 1, typeOf(0, DataType.FLOAT), () => false), NCHWC_DOMAIN),
  ...entries(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool'], pool(false), NCHWC_DOMAIN),
  ...entries(['ReorderInput'], reorderInput, NCHWC_DOMAIN),
  ...entries(['ReorderOutput'], reorderOutput, NCHWC_DOMAIN),
  ...entries(['FusedConv'], conv(0, 1, typeOf(0, DataType.FLOAT), () => false), MS),
  ...entries(['FusedGemm'], gemmLike(0, 1, typeOf(0, DataType.FLOAT)), MS),
  ...entries(['FusedMatMul'], matmul(0, 1, typeOf(0, DataType.FLOAT)), MS),
  ...entries(['QGemm'], gemmLike(0, 3, (ctx) => (ctx.input(7) ? ctx.input(8)?.elemType || DataType.UINT8 : DataType.FLOAT)), MS),
  ...entries(['QLinearConv'], conv(0, 3, typeOf(7, DataType.UINT8), channelsLastAttr), MS),
  ...entries(['NhwcMaxPool'], pool(true), MS),
  ...entries(['QLinearAveragePool', 'QLinearGlobalAveragePool'], (ctx) => pool(channelsLastAttr(ctx))(ctx), MS),
  ...entries(['QLinearAdd', 'QLinearMul'], qlinearBinary, MS),
  ...entries(['QLinearSigmoid', 'QLinearLeakyRelu'], (ctx) => [like(ctx.input(0))], MS),
  ...entries(['DynamicQuantizeMatMul', 'MatMulIntegerToFloat'], matmul(0, 1, float), MS),
];

