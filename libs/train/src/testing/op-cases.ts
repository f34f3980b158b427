import { DataType, floatTensor, int64Tensor, int8Tensor, uint8Tensor, type ModelBuilder, type onnx } from '@edgefit/onnx';
import { randomFloats } from './random.js';
import { testModel } from './op-model.js';
import type { HostTensor } from './ort.js';

/**
 * Small models exercising every op of the table in the forms that matter
 * (attributes, broadcasting, NHWC activations feeding layout-sensitive ops),
 * shared by the onnxruntime parity test and the gradient test.
 */
let seed = 1000;
export const rand = (dims: number[], lo = -1, hi = 1) => randomFloats(dims.reduce((a, b) => a * b, 1), seed++, lo, hi);
const init = (b: ModelBuilder, name: string, dims: number[], lo = -1, hi = 1) => b.initializer(floatTensor(name, dims, rand(dims, lo, hi)));

/** A conv whose output is an NHWC activation inside the executor: exercises the layout paths of what follows. */
function conv(b: ModelBuilder, x: string, cin: number, cout: number, k: number, attrs: Record<string, number | number[] | string> = {}, bias = true): string {
  const n = `conv${seed}`;
  const group = (attrs.group as number | undefined) ?? 1;
  const inputs = [x, init(b, `${n}.w`, [cout, cin / group, k, k])];
  if (bias) inputs.push(init(b, `${n}.b`, [cout]));
  return b.node('Conv', inputs, [n], { kernel_shape: [k, k], ...attrs })[0]!;
}

export interface OpCase {
  name: string;
  opset?: number;
  inputs: Record<string, number[]>;
  /** Value range of an input when [-1, 1) does not suit (a divisor). */
  ranges?: Record<string, [number, number]>;
  build(b: ModelBuilder, ...inputs: string[]): Array<string | { name: string; elemType: number }>;
}

const x4 = { x: [2, 4, 9, 9] };
export const OP_CASES: OpCase[] = [
  // Gemm / MatMul
  { name: 'Gemm transA, alpha, beta, 1-D C', inputs: { a: [3, 4] }, build: (b, a) => b.node('Gemm', [a, init(b, 'B', [3, 5]), init(b, 'C', [5])], ['y'], { transA: 1, alpha: 0.7, beta: 1.3 }) },
  { name: 'Gemm transB, 2-D C', inputs: { a: [4, 3] }, build: (b, a) => b.node('Gemm', [a, init(b, 'B', [5, 3]), init(b, 'C', [4, 5])], ['y'], { transB: 1 }) },
  { name: 'Gemm transA+transB, no C', inputs: { a: [3, 4] }, build: (b, a) => b.node('Gemm', [a, init(b, 'B', [5, 3])], ['y'], { transA: 1, transB: 1, alpha: 2.5 }) },
  { name: 'MatMul batched', inputs: { a: [2, 3, 4] }, build: (b, a) => b.node('MatMul', [a, init(b, 'B', [4, 5])], ['y']) },
  { name: 'MatMul broadcast batch dims', inputs: { a: [2, 1, 3, 4] }, build: (b, a) => b.node('MatMul', [a, init(b, 'B', [3, 4, 5])], ['y']) },
  { name: 'MatMul 1-D', inputs: { a: [4] }, build: (b, a) => b.node('MatMul', [a, init(b, 'B', [4, 5])], ['y']) },
  // Conv
  { name: 'Conv group 2, stride 2, asymmetric pads', inputs: x4, build: (b, x) => [conv(b, x, 4, 6, 3, { group: 2, strides: [2, 2], pads: [1, 0, 0, 2] })] },
  { name: 'Conv dilation 2, pads 2', inputs: x4, build: (b, x) => [conv(b, x, 4, 3, 3, { dilations: [2, 2], pads: [2, 2, 2, 2] })] },
  { name: 'Conv dilation 2 + stride 2', inputs: x4, build: (b, x) => [conv(b, x, 4, 3, 3, { dilations: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] })] },
  { name: 'Conv depthwise, multiplier 2, no bias', inputs: x4, build: (b, x) => [conv(b, x, 4, 8, 3, { group: 4, pads: [1, 1, 1, 1] }, false)] },
  { name: 'Conv auto_pad SAME_UPPER, stride 2', inputs: { x: [2, 4, 8, 8] }, build: (b, x) => [conv(b, x, 4, 5, 4, { auto_pad: 'SAME_UPPER', strides: [2, 2] })] },
  { name: 'Conv auto_pad SAME_LOWER', inputs: { x: [2, 4, 8, 8] }, build: (b, x) => [conv(b, x, 4, 5, 2, { auto_pad: 'SAME_LOWER' })] },
  { name: 'Conv auto_pad VALID, 1x1 on 1 channel', inputs: { x: [2, 1, 6, 6] }, build: (b, x) => [conv(b, x, 1, 3, 1, { auto_pad: 'VALID' })] },
  // Pools
  { name: 'MaxPool 3x3 s2 pads 1', inputs: x4, build: (b, x) => b.node('MaxPool', [x], ['y'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'MaxPool ceil_mode', inputs: { x: [2, 3, 8, 8] }, build: (b, x) => b.node('MaxPool', [x], ['y'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }) },
  { name: 'MaxPool SAME_UPPER after conv', inputs: x4, build: (b, x) => b.node('MaxPool', [conv(b, x, 4, 4, 3)], ['y'], { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_UPPER' }) },
  { name: 'AveragePool pads, exclude pad', inputs: x4, build: (b, x) => b.node('AveragePool', [x], ['y'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }) },
  { name: 'AveragePool pads, count_include_pad', inputs: x4, build: (b, x) => b.node('AveragePool', [x], ['y'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 1, 2], count_include_pad: 1 }) },
  { name: 'AveragePool ceil_mode', inputs: { x: [2, 3, 8, 8] }, build: (b, x) => b.node('AveragePool', [x], ['y'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }) },
  { name: 'GlobalAveragePool after conv', inputs: x4, build: (b, x) => b.node('GlobalAveragePool', [conv(b, x, 4, 6, 3)], ['y']) },
  // BatchNormalization with non-trivial statistics
  {
    name: 'BatchNormalization 4-D after conv',
    inputs: x4,
    build: (b, x) =>
      b.node('BatchNormalization', [conv(b, x, 4, 5, 3), init(b, 's', [5]), init(b, 'bb', [5]), init(b, 'm', [5]), init(b, 'v', [5], 0.2, 2)], ['y'], { epsilon: 1e-3 }),
  },
  {
    name: 'BatchNormalization 4-D on a graph input (NCHW path)',
    inputs: x4,
    build: (b, x) => b.node('BatchNormalization', [x, init(b, 's', [4]), init(b, 'bb', [4]), init(b, 'm', [4]), init(b, 'v', [4], 0.2, 2)], ['y']),
  },
  {
    name: 'BatchNormalization 2-D',
    inputs: { x: [6, 5] },
    build: (b, x) => b.node('BatchNormalization', [x, init(b, 's', [5]), init(b, 'bb', [5]), init(b, 'm', [5]), init(b, 'v', [5], 0.2, 2)], ['y']),
  },
  // Activations
  { name: 'Clip with min/max inputs (opset 13)', inputs: x4, build: (b, x) => b.node('Clip', [conv(b, x, 4, 3, 3), b.initializer(floatTensor('lo', [], [-0.3])), b.initializer(floatTensor('hi', [], [0.4]))], ['y']) },
  { name: 'Clip with min only', inputs: x4, build: (b, x) => b.node('Clip', [x, b.initializer(floatTensor('lo', [], [0]))], ['y']) },
  { name: 'Clip with attributes (opset 6)', opset: 6, inputs: x4, build: (b, x) => b.node('Clip', [x], ['y'], { min: -0.5, max: 0.25 }) },
  { name: 'HardSwish', opset: 14, inputs: { x: [2, 50] }, build: (b, x) => b.node('HardSwish', [b.node('Mul', [x, b.initializer(floatTensor('k', [], [5]))], ['x5'])[0]!], ['y']) },
  { name: 'HardSigmoid', inputs: { x: [2, 50] }, build: (b, x) => b.node('HardSigmoid', [x], ['y'], { alpha: 0.3, beta: 0.4 }) },
  { name: 'LeakyRelu, Sigmoid, Tanh, Relu', inputs: x4, build: (b, x) => ['r', 'l', 's', 't'].map((o, i) => b.node(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh'][i]!, [conv(b, x, 4, 2, 3)], [o], i === 1 ? { alpha: 0.2 } : {})[0]!) },
  // Layout-sensitive ops on NHWC activations
  { name: 'Transpose of a conv output', inputs: x4, build: (b, x) => b.node('Transpose', [conv(b, x, 4, 3, 3)], ['y'], { perm: [0, 2, 3, 1] }) },
  { name: 'Transpose default perm, 3-D', inputs: { x: [2, 3, 4] }, build: (b, x) => b.node('Transpose', [x], ['y']) },
  { name: 'Concat of conv outputs on channels', inputs: x4, build: (b, x) => b.node('Concat', [conv(b, x, 4, 3, 3, { pads: [1, 1, 1, 1] }), conv(b, x, 4, 2, 1)], ['y'], { axis: 1 }) },
  { name: 'Concat mixed layouts on width', inputs: x4, build: (b, x) => b.node('Concat', [conv(b, x, 4, 4, 1), x], ['y'], { axis: -1 }) },
  { name: 'Softmax axis 1 of a conv output', inputs: x4, build: (b, x) => b.node('Softmax', [conv(b, x, 4, 3, 3)], ['y'], { axis: 1 }) },
  { name: 'Softmax axis -1, 2-D', inputs: { x: [3, 7] }, build: (b, x) => b.node('Softmax', [x], ['y']) },
  { name: 'Softmax opset 11 (coerced to 2-D)', opset: 11, inputs: x4, build: (b, x) => b.node('Softmax', [conv(b, x, 4, 3, 3)], ['y'], { axis: 1 }) },
  { name: 'Flatten of a conv output', inputs: x4, build: (b, x) => b.node('Flatten', [conv(b, x, 4, 3, 3)], ['y']) },
  { name: 'Flatten axis 2', inputs: x4, build: (b, x) => b.node('Flatten', [conv(b, x, 4, 3, 3)], ['y'], { axis: 2 }) },
  { name: 'Reshape 0 and -1 of a conv output', inputs: x4, build: (b, x) => b.node('Reshape', [conv(b, x, 4, 3, 3), b.initializer(int64Tensor('shape', [3], [0, -1, 7]))], ['y']) },
  // Broadcasting against NHWC activations
  { name: 'Add [C,1,1] to a conv output', inputs: x4, build: (b, x) => b.node('Add', [conv(b, x, 4, 3, 3), init(b, 'c', [3, 1, 1])], ['y']) },
  { name: 'Sub [W] from a conv output', inputs: x4, build: (b, x) => b.node('Sub', [init(b, 'c', [7]), conv(b, x, 4, 3, 3)], ['y']) },
  { name: 'Mul two conv outputs', inputs: x4, build: (b, x) => b.node('Mul', [conv(b, x, 4, 3, 3), conv(b, x, 4, 3, 3)], ['y']) },
  { name: 'Div conv output by a 4-D NCHW input', inputs: { x: [2, 4, 9, 9], d: [1, 3, 7, 1] }, ranges: { d: [0.5, 2] }, build: (b, x, d) => b.node('Div', [conv(b, x, 4, 3, 3), d], ['y']) },
  // Shape ops, Dropout, Identity, Constant
  { name: 'Squeeze/Unsqueeze (opset 13 inputs)', inputs: { x: [2, 1, 5] }, build: (b, x) => b.node('Unsqueeze', [b.node('Squeeze', [x, b.initializer(int64Tensor('ax', [1], [1]))], ['s'])[0]!, b.initializer(int64Tensor('ax2', [2], [0, -1]))], ['y']) },
  { name: 'Squeeze/Unsqueeze (opset 11 attributes)', opset: 11, inputs: { x: [2, 1, 5] }, build: (b, x) => b.node('Unsqueeze', [b.node('Squeeze', [x], ['s'], { axes: [1] })[0]!], ['y'], { axes: [1, 3] }) },
  { name: 'Squeeze of GlobalAveragePool (no axes)', inputs: x4, build: (b, x) => b.node('Squeeze', [b.node('GlobalAveragePool', [conv(b, x, 4, 3, 3)], ['g'])[0]!], ['y']) },
  { name: 'Dropout (inference) with ratio input, Identity', inputs: x4, build: (b, x) => b.node('Identity', [b.node('Dropout', [x, b.initializer(floatTensor('ratio', [], [0.3]))], ['d'])[0]!], ['y']) },
  {
    name: 'Constant (value tensor and value_float)',
    inputs: { x: [2, 3] },
    build: (b, x) => {
      const c = b.node('Constant', [], ['c'], { value: floatTensor('', [3], [1, -2, 3]) })[0]!;
      const k = b.node('Constant', [], ['k'], { value_float: 0.5 })[0]!;
      return b.node('Mul', [b.node('Add', [x, c], ['s'])[0]!, k], ['y']);
    },
  },
  // Quantization
  {
    name: 'QuantizeLinear→DequantizeLinear per-tensor uint8 (no zero point)',
    inputs: { x: [2, 64] },
    build: (b, x) => b.node('DequantizeLinear', [b.node('QuantizeLinear', [x, b.initializer(floatTensor('s', [], [0.004]))], ['q'])[0]!, 's'], ['y']),
  },
  {
    name: 'QuantizeLinear int8 per-tensor, saturating, as graph output',
    inputs: { x: [2, 64] },
    build: (b, x) => [
      { name: b.node('QuantizeLinear', [x, b.initializer(floatTensor('s', [], [0.005])), b.initializer(int8Tensor('z', [], Int8Array.from([3])))], ['q'])[0]!, elemType: DataType.INT8 },
    ],
  },
  {
    name: 'Q/DQ per-axis int8 weights into Conv',
    inputs: x4,
    build: (b, x) => {
      const w = init(b, 'w', [3, 4, 3, 3]);
      const s = b.initializer(floatTensor('ws', [3], [0.004, 0.01, 0.02]));
      const z = b.initializer(int8Tensor('wz', [3], Int8Array.from([0, 0, 0])));
      const q = b.node('QuantizeLinear', [w, s, z], ['wq'], { axis: 0 })[0]!;
      const dq = b.node('DequantizeLinear', [q, s, z], ['wdq'], { axis: 0 })[0]!;
      return b.node('Conv', [x, dq], ['y'], { kernel_shape: [3, 3] });
    },
  },
  {
    name: 'Q/DQ per-axis uint8 on a conv activation (axis 1)',
    inputs: x4,
    build: (b, x) => {
      const s = b.initializer(floatTensor('as', [3], [0.01, 0.02, 0.005]));
      const z = b.initializer(uint8Tensor('az', [3], Uint8Array.from([128, 100, 140])));
      const q = b.node('QuantizeLinear', [conv(b, x, 4, 3, 3), s, z], ['aq'])[0]!;
      return b.node('DequantizeLinear', [q, s, z], ['y']);
    },
  },
  {
    name: 'DequantizeLinear of int8 initializer weights',
    inputs: { a: [3, 4] },
    build: (b, a) => {
      const w = b.initializer(int8Tensor('wq', [4, 5], Int8Array.from({ length: 20 }, (_, i) => (i * 37) % 255 - 127)));
      const dq = b.node('DequantizeLinear', [w, b.initializer(floatTensor('ws', [], [0.01])), b.initializer(int8Tensor('wz', [], Int8Array.from([-2])))], ['w'])[0]!;
      return b.node('MatMul', [a, dq], ['y']);
    },
  },
];

/** The case's model and random feeds (draws from the shared seed counter: build once, use everywhere). */
export function buildCase(c: OpCase): { model: onnx.ModelProto; feeds: Record<string, HostTensor> } {
  const model = testModel((b) => c.build(b, ...Object.entries(c.inputs).map(([name, dims]) => b.input(name, dims))), c.opset ?? 17);
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([name, dims]) => [name, { data: rand(dims, ...(c.ranges?.[name] ?? [-1, 1])), dims }]));
  return { model, feeds };
}
