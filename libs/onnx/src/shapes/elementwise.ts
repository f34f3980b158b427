import { attrInt } from '../attributes.js';
import { DataType } from '../proto.js';
import { broadcast, like, numel, tracked } from './dims.js';
import { entries, type ShapeContext, type ShapeEntry, type TensorInfo } from './types.js';

const INTEGER_TYPES: ReadonlySet<number> = new Set([DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.UINT8, DataType.UINT16, DataType.UINT32, DataType.UINT64]);

export function isIntegerType(elemType: number): boolean {
  return INTEGER_TYPES.has(elemType);
}

/** Ops whose single output has the shape and type of input 0. */
const SAME_AS_INPUT = [
  'Relu', 'Sigmoid', 'Tanh', 'HardSwish', 'HardSigmoid', 'LeakyRelu', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign',
  'Clip', 'Softmax', 'LogSoftmax', 'Hardmax', 'Sqrt', 'Log', 'Exp', 'Abs', 'Erf', 'Reciprocal', 'Floor', 'Ceil',
  'Round', 'Sin', 'Cos', 'Tan', 'Sign', 'Gelu', 'Shrink', 'ThresholdedRelu', 'Mish', 'LRN', 'InstanceNormalization',
  'LpNormalization', 'MeanVarianceNormalization', 'CumSum', 'LayerNormalization',
];

const unary = (ctx: ShapeContext): TensorInfo[] => [{ ...like(ctx.input(0)), value: undefined }];

/** Identity and Neg keep values known: shape arithmetic flows through them. */
const mapValues = (f: (v: number) => number) => (ctx: ShapeContext): TensorInfo[] => {
  const x = ctx.input(0);
  return [{ ...like(x), value: x?.value?.map(f) }];
};

/** Element-wise values of broadcast operands, for scalar or 1-D operands only (enough for shape arithmetic). */
function combineValues(inputs: (TensorInfo | undefined)[], outCount: number | null, f: (...v: number[]) => number): number[] | undefined {
  if (outCount === null || !inputs.every((i) => i?.value && i.shape && i.shape.length <= 1)) return undefined;
  const vals = inputs.map((i) => i!.value!);
  if (vals.some((v) => v.length !== 1 && v.length !== outCount)) return undefined;
  return tracked(Array.from({ length: outCount }, (_, k) => f(...vals.map((v) => (v.length === 1 ? v[0]! : v[k]!)))));
}

function broadcastOp(outType: (ctx: ShapeContext) => number, f?: (elemType: number) => (...v: number[]) => number, first = 0) {
  return (ctx: ShapeContext): TensorInfo[] => {
    const inputs = Array.from({ length: ctx.inputCount - first }, (_, i) => ctx.input(i + first));
    const shape = broadcast(ctx, inputs.map((i) => i?.shape));
    const elemType = outType(ctx);
    const value = f ? combineValues(inputs, numel(shape), f(ctx.input(first)?.elemType ?? 0)) : undefined;
    return [{ elemType, shape, value }];
  };
}

const inputType = (ctx: ShapeContext) => ctx.input(0)?.elemType ?? 0;
const boolType = () => DataType.BOOL;
const arith = (g: (a: number, b: number) => number) => (t: number) => (...v: number[]) =>
  v.reduce((a, b) => (isIntegerType(t) ? Math.trunc(g(a, b)) : g(a, b)));
const bool = (g: (a: number, b: number) => boolean) => () => (a: number, b: number) => (g(a, b) ? 1 : 0);

function cast(ctx: ShapeContext): TensorInfo[] {
  const x = ctx.input(0);
  const to = attrInt(ctx.node, 'to', 0);
  const conv = to === DataType.BOOL ? (v: number) => (v ? 1 : 0) : isIntegerType(to) ? Math.trunc : (v: number) => v;
  return [{ ...like(x, to), value: x?.value?.map(conv) }];
}

function normalization(ctx: ShapeContext): TensorInfo[] {
  const stat = like(ctx.input(3));
  return [unary(ctx)[0]!, stat, { ...stat }];
}

export const elementwiseShapes: ShapeEntry[] = [
  ...entries(SAME_AS_INPUT, unary),
  ...entries(['Gelu'], unary, 'com.microsoft'),
  ...entries(['Identity'], mapValues((v) => v)),
  ...entries(['Neg'], mapValues((v) => -v)),
  ...entries(['Not'], (ctx) => [{ ...like(ctx.input(0), DataType.BOOL), value: ctx.input(0)?.value?.map((v) => (v ? 0 : 1)) }]),
  ...entries(['Cast'], cast),
  ...entries(['Dropout'], (ctx) => [unary(ctx)[0]!, { ...like(ctx.input(0), DataType.BOOL), value: undefined }]),
  ...entries(['BatchNormalization'], normalization),
  ...entries(['Add', 'Sum'], broadcastOp(inputType, arith((a, b) => a + b))),
  ...entries(['Sub'], broadcastOp(inputType, arith((a, b) => a - b))),
  ...entries(['Mul'], broadcastOp(inputType, arith((a, b) => a * b))),
  ...entries(['Div'], broadcastOp(inputType, arith((a, b) => a / b))),
  ...entries(['Min'], broadcastOp(inputType, () => Math.min)),
  ...entries(['Max'], broadcastOp(inputType, () => Math.max)),
  ...entries(['Pow', 'Mod', 'PRelu', 'BitShift', 'Mean'], broadcastOp(inputType)),
  ...entries(['Equal'], broadcastOp(boolType, bool((a, b) => a === b))),
  ...entries(['Less'], broadcastOp(boolType, bool((a, b) => a < b))),
  ...entries(['Greater'], broadcastOp(boolType, bool((a, b) => a > b))),
  ...entries(['LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'], broadcastOp(boolType)),
  ...entries(['Where'], broadcastOp((c) => c.input(1)?.elemType ?? 0)),
];
