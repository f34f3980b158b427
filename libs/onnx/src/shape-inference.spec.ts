import { describe, expect, it } from 'vitest';
import { EdgefitError, InvalidModelError, UnsupportedOperatorError } from '@edgefit/core';
import {
  DataType, ModelBuilder, createShapeRegistry, encodeModel, floatTensor, inferShapes, int64Tensor, int8Tensor, onnx, uint8Tensor,
} from '@edgefit/onnx';
import { buildIfModel, buildLenet5, mainGraph, setOutputs } from '../test-fixtures/models.js';
import { feedsFor, singleOp, type OpSpec } from '../test-fixtures/single-op.js';
import { floatInput, ort, ortElemType, runModel } from '../test-fixtures/ort.js';

const scalar = (name: string, v: number) => floatTensor(name, [], [v]);
const i64 = (name: string, values: number[], dims = [values.length]) => int64Tensor(name, dims, values);
const u8 = (name: string, dims: number[], v = 0) => uint8Tensor(name, dims, new Uint8Array(dims.reduce((a, b) => a * b, 1)).fill(v));
const weights = (name: string, dims: number[]) => floatTensor(name, dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)));

/** Inferred shape and type of every graph output equal what onnxruntime produces (and `expected`, when given). */
async function expectMatchesOrt(model: onnx.ModelProto, expected?: Record<string, number[]>, feeds = feedsFor(model)) {
  const inferred = inferShapes(model);
  const out = await runModel(encodeModel(model), feeds);
  for (const { name } of mainGraph(model).output) {
    const info = inferred.main.get(name!)!;
    expect({ name, shape: info.shape, type: info.elemType }).toEqual({ name, shape: out[name!]!.dims, type: ortElemType(out[name!]!) });
    if (expected?.[name!]) expect(info.shape).toEqual(expected[name!]);
  }
}

const cases: [string, OpSpec, Record<string, number[]>][] = [
  ['Gemm transB', { op: 'Gemm', inputs: [['a', [3, 5]]], initializers: [weights('b', [4, 5]), weights('c', [4])], attrs: { transB: 1 }, outputs: ['y'] }, { y: [3, 4] }],
  ['Gemm transA', { op: 'Gemm', inputs: [['a', [5, 3]]], initializers: [weights('b', [5, 4])], attrs: { transA: 1 }, outputs: ['y'] }, { y: [3, 4] }],
  ['MatMul batched', { op: 'MatMul', inputs: [['a', [2, 3, 4]], ['b', [4, 5]]], outputs: ['y'] }, { y: [2, 3, 5] }],
  ['MatMul 1-D left', { op: 'MatMul', inputs: [['a', [4]], ['b', [2, 4, 5]]], outputs: ['y'] }, { y: [2, 5] }],
  ['MatMul 1-D right', { op: 'MatMul', inputs: [['a', [3, 4]], ['b', [4]]], outputs: ['y'] }, { y: [3] }],
  ['MatMul broadcast batch', { op: 'MatMul', inputs: [['a', [2, 1, 3, 4]], ['b', [5, 4, 6]]], outputs: ['y'] }, { y: [2, 5, 3, 6] }],
  ['Conv group 2, stride, pads', { op: 'Conv', inputs: [['x', [1, 4, 9, 9]]], initializers: [weights('w', [8, 2, 3, 3]), weights('b', [8])], attrs: { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }, outputs: ['y'] }, { y: [1, 8, 5, 5] }],
  ['Conv depthwise dilated', { op: 'Conv', inputs: [['x', [1, 4, 8, 8]]], initializers: [weights('w', [4, 1, 3, 3])], attrs: { group: 4, dilations: [2, 2] }, outputs: ['y'] }, { y: [1, 4, 4, 4] }],
  ['Conv SAME_UPPER', { op: 'Conv', inputs: [['x', [1, 3, 7, 7]]], initializers: [weights('w', [2, 3, 3, 3])], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, outputs: ['y'] }, { y: [1, 2, 4, 4] }],
  ['Conv SAME_LOWER', { op: 'Conv', inputs: [['x', [1, 3, 8, 6]]], initializers: [weights('w', [2, 3, 2, 3])], attrs: { auto_pad: 'SAME_LOWER', strides: [3, 1] }, outputs: ['y'] }, { y: [1, 2, 3, 6] }],
  ['Conv VALID', { op: 'Conv', inputs: [['x', [1, 3, 7, 7]]], initializers: [weights('w', [2, 3, 3, 3])], attrs: { auto_pad: 'VALID', strides: [2, 2] }, outputs: ['y'] }, { y: [1, 2, 3, 3] }],
  ['Conv 1-D', { op: 'Conv', inputs: [['x', [2, 3, 10]]], initializers: [weights('w', [4, 3, 3])], outputs: ['y'] }, { y: [2, 4, 8] }],
  ['ConvTranspose stride, pads, output_padding', { op: 'ConvTranspose', inputs: [['x', [1, 4, 5, 5]]], initializers: [weights('w', [4, 3, 3, 3])], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, outputs: ['y'] }, { y: [1, 3, 10, 10] }],
  ['ConvTranspose group 2', { op: 'ConvTranspose', inputs: [['x', [1, 4, 5, 5]]], initializers: [weights('w', [4, 2, 3, 3])], attrs: { group: 2 }, outputs: ['y'] }, { y: [1, 4, 7, 7] }],
  ['ConvTranspose output_shape', { op: 'ConvTranspose', inputs: [['x', [1, 4, 5, 5]]], initializers: [weights('w', [4, 3, 3, 3])], attrs: { strides: [2, 2], output_shape: [11, 11] }, outputs: ['y'] }, { y: [1, 3, 11, 11] }],
  ['ConvTranspose SAME_UPPER', { op: 'ConvTranspose', inputs: [['x', [1, 4, 5, 5]]], initializers: [weights('w', [4, 3, 3, 3])], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' }, outputs: ['y'] }, { y: [1, 3, 10, 10] }],
  ['BatchNormalization', { op: 'BatchNormalization', inputs: [['x', [2, 3, 4, 4]]], initializers: ['s', 'b', 'm', 'v'].map((n) => floatTensor(n, [3], [1, 1, 1])), outputs: ['y'] }, { y: [2, 3, 4, 4] }],
  ['Relu', { op: 'Relu', inputs: [['x', [2, 3]]], outputs: ['y'] }, { y: [2, 3] }],
  ['Sigmoid', { op: 'Sigmoid', inputs: [['x', [2, 3]]], outputs: ['y'] }, { y: [2, 3] }],
  ['Tanh', { op: 'Tanh', inputs: [['x', [4]]], outputs: ['y'] }, { y: [4] }],
  ['HardSwish', { op: 'HardSwish', inputs: [['x', [1, 2, 3]]], outputs: ['y'] }, { y: [1, 2, 3] }],
  ['LeakyRelu', { op: 'LeakyRelu', inputs: [['x', [2, 3]]], attrs: { alpha: 0.1 }, outputs: ['y'] }, { y: [2, 3] }],
  ['Clip min/max inputs', { op: 'Clip', inputs: [['x', [2, 3]]], initializers: [scalar('lo', 0), scalar('hi', 6)], outputs: ['y'] }, { y: [2, 3] }],
  ['MaxPool ceil_mode + indices', { op: 'MaxPool', inputs: [['x', [1, 2, 6, 6]]], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, outputs: ['y', ['idx', DataType.INT64]] }, { y: [1, 2, 3, 3], idx: [1, 2, 3, 3] }],
  // ONNX's reference inference says 3×3 here; onnxruntime drops the window starting in the padding: 2×2. We follow onnxruntime.
  ['MaxPool ceil_mode drops a window in the padding', { op: 'MaxPool', inputs: [['x', [1, 1, 4, 4]]], attrs: { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], ceil_mode: 1 }, outputs: ['y'] }, { y: [1, 1, 2, 2] }],
  ['AveragePool pads', { op: 'AveragePool', inputs: [['x', [1, 2, 7, 7]]], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, outputs: ['y'] }, { y: [1, 2, 4, 4] }],
  ['GlobalAveragePool', { op: 'GlobalAveragePool', inputs: [['x', [2, 3, 5, 4]]], outputs: ['y'] }, { y: [2, 3, 1, 1] }],
  ['GlobalMaxPool', { op: 'GlobalMaxPool', inputs: [['x', [2, 3, 5]]], outputs: ['y'] }, { y: [2, 3, 1] }],
  ['Flatten axis 0', { op: 'Flatten', inputs: [['x', [2, 3, 4]]], attrs: { axis: 0 }, outputs: ['y'] }, { y: [1, 24] }],
  ['Flatten axis -1', { op: 'Flatten', inputs: [['x', [2, 3, 4]]], attrs: { axis: -1 }, outputs: ['y'] }, { y: [6, 4] }],
  ['Reshape 0 and -1', { op: 'Reshape', inputs: [['x', [2, 3, 4]]], initializers: [i64('s', [0, -1])], outputs: ['y'] }, { y: [2, 12] }],
  ['Reshape -1 first', { op: 'Reshape', inputs: [['x', [2, 3, 4]]], initializers: [i64('s', [-1, 4, 1])], outputs: ['y'] }, { y: [6, 4, 1] }],
  ['Transpose default', { op: 'Transpose', inputs: [['x', [2, 3, 4]]], outputs: ['y'] }, { y: [4, 3, 2] }],
  ['Transpose perm', { op: 'Transpose', inputs: [['x', [2, 3, 4]]], attrs: { perm: [0, 2, 1] }, outputs: ['y'] }, { y: [2, 4, 3] }],
  ['Add broadcast', { op: 'Add', inputs: [['a', [2, 1, 4]], ['b', [3, 1]]], outputs: ['y'] }, { y: [2, 3, 4] }],
  ['Mul broadcast', { op: 'Mul', inputs: [['a', [5, 1]], ['b', [1, 6]]], outputs: ['y'] }, { y: [5, 6] }],
  ['Sub broadcast scalar', { op: 'Sub', inputs: [['a', []], ['b', [2, 3]]], outputs: ['y'] }, { y: [2, 3] }],
  ['Div broadcast', { op: 'Div', inputs: [['a', [2, 3, 4]], ['b', [4]]], outputs: ['y'] }, { y: [2, 3, 4] }],
  ['Concat axis -1', { op: 'Concat', inputs: [['a', [2, 3]], ['b', [2, 5]]], attrs: { axis: -1 }, outputs: ['y'] }, { y: [2, 8] }],
  ['Softmax', { op: 'Softmax', inputs: [['x', [2, 10]]], outputs: ['y'] }, { y: [2, 10] }],
  ['Dropout with mask', { op: 'Dropout', inputs: [['x', [2, 3]]], initializers: [scalar('r', 0.5)], outputs: ['y', ['mask', DataType.BOOL]] }, { y: [2, 3], mask: [2, 3] }],
  ['Identity', { op: 'Identity', inputs: [['x', [7]]], outputs: ['y'] }, { y: [7] }],
  ['Squeeze axes input', { op: 'Squeeze', inputs: [['x', [2, 1, 3, 1]]], initializers: [i64('ax', [1])], outputs: ['y'] }, { y: [2, 3, 1] }],
  ['Squeeze all', { op: 'Squeeze', inputs: [['x', [2, 1, 3, 1]]], outputs: ['y'] }, { y: [2, 3] }],
  ['Squeeze opset 11 attr', { op: 'Squeeze', opset: 11, inputs: [['x', [1, 3, 1]]], attrs: { axes: [-1] }, outputs: ['y'] }, { y: [1, 3] }],
  ['Unsqueeze', { op: 'Unsqueeze', inputs: [['x', [2, 3]]], initializers: [i64('ax', [0, -1])], outputs: ['y'] }, { y: [1, 2, 3, 1] }],
  ['Gather 2-D indices', { op: 'Gather', inputs: [['x', [5, 4]]], initializers: [i64('i', [0, 1, 2, 3], [2, 2])], outputs: ['y'] }, { y: [2, 2, 4] }],
  ['Gather scalar index axis 1', { op: 'Gather', inputs: [['x', [5, 4]]], initializers: [i64('i', [2], [])], attrs: { axis: 1 }, outputs: ['y'] }, { y: [5] }],
  ['Shape start/end', { op: 'Shape', inputs: [['x', [2, 3, 4, 5]]], attrs: { start: 1, end: -1 }, outputs: [['y', DataType.INT64]] }, { y: [2] }],
  ['Size', { op: 'Size', inputs: [['x', [2, 3]]], outputs: [['y', DataType.INT64]] }, { y: [] }],
  ['Constant', { op: 'Constant', inputs: [], attrs: { value: weights('c', [2, 3]) }, outputs: ['y'] }, { y: [2, 3] }],
  ['QuantizeLinear int8', { op: 'QuantizeLinear', inputs: [['x', [2, 3]]], initializers: [scalar('s', 0.1), int8Tensor('z', [], new Int8Array([0]))], outputs: [['y', DataType.INT8]] }, { y: [2, 3] }],
  ['QuantizeLinear default uint8', { op: 'QuantizeLinear', inputs: [['x', [2, 3]]], initializers: [scalar('s', 0.1)], outputs: [['y', DataType.UINT8]] }, { y: [2, 3] }],
  ['DequantizeLinear', { op: 'DequantizeLinear', inputs: [['x', [2, 3], DataType.INT8]], initializers: [scalar('s', 0.1), int8Tensor('z', [], new Int8Array([1]))], outputs: ['y'] }, { y: [2, 3] }],
  ['QLinearConv', { op: 'QLinearConv', inputs: [['x', [1, 2, 5, 5], DataType.UINT8]], initializers: [scalar('xs', 0.1), u8('xz', []), u8('w', [3, 2, 3, 3], 3), scalar('ws', 0.1), u8('wz', []), scalar('ys', 0.2), u8('yz', [])], outputs: [['y', DataType.UINT8]] }, { y: [1, 3, 3, 3] }],
  ['QLinearMatMul', { op: 'QLinearMatMul', inputs: [['a', [2, 4], DataType.UINT8]], initializers: [scalar('as', 0.1), u8('az', []), u8('b', [4, 3], 2), scalar('bs', 0.1), u8('bz', []), scalar('ys', 0.2), u8('yz', [])], outputs: [['y', DataType.UINT8]] }, { y: [2, 3] }],
  ['MatMulInteger', { op: 'MatMulInteger', inputs: [['a', [2, 4], DataType.UINT8]], initializers: [u8('b', [4, 3], 2)], outputs: [['y', DataType.INT32]] }, { y: [2, 3] }],
  ['DynamicQuantizeLinear', { op: 'DynamicQuantizeLinear', inputs: [['x', [2, 3]]], outputs: [['y', DataType.UINT8], 's', ['z', DataType.UINT8]] }, { y: [2, 3], s: [], z: [] }],
  ['MatMulNBits (com.microsoft)', { op: 'MatMulNBits', domain: 'com.microsoft', inputs: [['a', [2, 64]]], initializers: [u8('b', [8, 2, 16], 0x88), floatTensor('sc', [16], new Array(16).fill(0.1))], attrs: { K: 64, N: 8, bits: 4, block_size: 32 }, outputs: ['y'] }, { y: [2, 8] }],
  ['LSTM bidirectional', { op: 'LSTM', inputs: [['x', [5, 2, 3]]], initializers: [weights('w', [2, 16, 3]), weights('r', [2, 16, 4]), weights('b', [2, 32])], attrs: { hidden_size: 4, direction: 'bidirectional' }, outputs: ['y', 'yh', 'yc'] }, { y: [5, 2, 2, 4], yh: [2, 2, 4], yc: [2, 2, 4] }],
  ['GRU', { op: 'GRU', inputs: [['x', [5, 2, 3]]], initializers: [weights('w', [1, 12, 3]), weights('r', [1, 12, 4])], attrs: { hidden_size: 4 }, outputs: ['y', 'yh'] }, { y: [5, 1, 2, 4], yh: [1, 2, 4] }],
  ['Slice negative step', { op: 'Slice', inputs: [['x', [4, 10]]], initializers: [i64('st', [1, -1]), i64('en', [3, -100]), i64('ax', [0, 1]), i64('sp', [1, -2])], outputs: ['y'] }, { y: [2, 5] }],
  ['Pad', { op: 'Pad', inputs: [['x', [1, 2, 4, 4]]], initializers: [i64('p', [0, 0, 1, 2, 0, 0, 3, 4])], outputs: ['y'] }, { y: [1, 2, 8, 10] }],
  ['ConstantOfShape', { op: 'ConstantOfShape', inputs: [], initializers: [i64('s', [2, 3])], outputs: ['y'] }, { y: [2, 3] }],
  ['Range', { op: 'Range', inputs: [], initializers: [i64('a', [0], []), i64('b', [10], []), i64('d', [3], [])], outputs: [['y', DataType.INT64]] }, { y: [4] }],
  ['Expand', { op: 'Expand', inputs: [['x', [3, 1]]], initializers: [i64('s', [2, 1, 4])], outputs: ['y'] }, { y: [2, 3, 4] }],
  ['Tile', { op: 'Tile', inputs: [['x', [2, 3]]], initializers: [i64('r', [2, 2])], outputs: ['y'] }, { y: [4, 6] }],
  ['Resize scales', { op: 'Resize', inputs: [['x', [1, 1, 4, 4]]], initializers: [floatTensor('sc', [4], [1, 1, 2, 1.5])], nodeInputs: ['x', '', 'sc'], outputs: ['y'] }, { y: [1, 1, 8, 6] }],
  ['Resize sizes', { op: 'Resize', inputs: [['x', [1, 1, 4, 4]]], initializers: [i64('sz', [1, 1, 3, 7])], nodeInputs: ['x', '', '', 'sz'], outputs: ['y'] }, { y: [1, 1, 3, 7] }],
  ['ReduceMean keepdims 0', { op: 'ReduceMean', inputs: [['x', [2, 3, 4]]], attrs: { axes: [1], keepdims: 0 }, outputs: ['y'] }, { y: [2, 4] }],
  ['ReduceSum axes input', { op: 'ReduceSum', inputs: [['x', [2, 3, 4]]], initializers: [i64('ax', [0, 2])], outputs: ['y'] }, { y: [1, 3, 1] }],
  ['ArgMax', { op: 'ArgMax', inputs: [['x', [2, 3, 4]]], attrs: { axis: 1 }, outputs: [['y', DataType.INT64]] }, { y: [2, 1, 4] }],
  ['Where', { op: 'Where', inputs: [['c', [2, 1], DataType.BOOL], ['a', [1, 3]], ['b', []]], outputs: ['y'] }, { y: [2, 3] }],
  ['Equal', { op: 'Equal', inputs: [['a', [2, 3]], ['b', [3]]], outputs: [['y', DataType.BOOL]] }, { y: [2, 3] }],
  ['Cast', { op: 'Cast', inputs: [['x', [2, 3]]], attrs: { to: DataType.INT64 }, outputs: [['y', DataType.INT64]] }, { y: [2, 3] }],
  ['Split given sizes', { op: 'Split', inputs: [['x', [2, 4]]], initializers: [i64('s', [1, 3])], attrs: { axis: 1 }, outputs: ['y1', 'y2'] }, { y1: [2, 1], y2: [2, 3] }],
  ['Split equal', { op: 'Split', inputs: [['x', [2, 4]]], attrs: { axis: 1 }, outputs: ['y1', 'y2'] }, { y1: [2, 2], y2: [2, 2] }],
  ['TopK', { op: 'TopK', inputs: [['x', [3, 5]]], initializers: [i64('k', [2])], outputs: ['v', ['i', DataType.INT64]] }, { v: [3, 2], i: [3, 2] }],
];

describe('inferShapes matches onnxruntime, op by op', () => {
  it.each(cases)('%s', async (_name, spec, expected) => {
    await expectMatchesOrt(singleOp(spec), expected);
  });

  it('follows Shape → Gather → Unsqueeze → Concat into Reshape (value propagation)', async () => {
    const b = new ModelBuilder('shape_chain');
    b.input('x', [2, 3, 4]);
    b.initializer(i64('zero', [0], []));
    b.initializer(i64('axes0', [0]));
    b.initializer(i64('minus1', [-1]));
    b.node('Shape', ['x'], ['shape']);
    b.node('Gather', ['shape', 'zero'], ['n']);
    b.node('Unsqueeze', ['n', 'axes0'], ['n1']);
    b.node('Concat', ['n1', 'minus1'], ['target'], { axis: 0 });
    b.node('Reshape', ['x', 'target'], ['y']);
    const model = setOutputs(b.build(), [['y']]);
    expect(inferShapes(model).main.get('target')?.value).toEqual([2, -1]);
    await expectMatchesOrt(model, { y: [2, 12] });
  });

  it('infers both If branches and their nested If', async () => {
    const model = buildIfModel();
    const result = inferShapes(model);
    expect(result.main.get('y')?.shape).toEqual([2, 3]);
    expect(result.values.get('y_inner')?.shape).toEqual([2, 3]);
    const feeds = { x: floatInput([2, 3]), cond: new ort.Tensor('bool', [false], []), cond2: new ort.Tensor('bool', [true], []) };
    await expectMatchesOrt(setOutputs(model, [['y']]), { y: [2, 3] }, feeds);
  });
});

describe('inferShapes options and errors', () => {
  it('resolves a symbolic batch dim with the batch option (default 1)', async () => {
    expect(inferShapes(buildLenet5('N')).main.get('fc3.out')?.shape).toEqual([1, 10]);
    const model = buildLenet5('N');
    const result = inferShapes(model, { batch: 4 });
    expect(result.main.get('conv1.out')?.shape).toEqual([4, 6, 28, 28]);
    expect(result.main.get('pool2')?.shape).toEqual([4, 16, 5, 5]);
    const out = await runModel(encodeModel(model), { input: floatInput([4, 1, 28, 28]) });
    expect(result.main.get('fc3.out')?.shape).toEqual(out['fc3.out']!.dims);
  });

  it('takes named dims and explicit input shapes', () => {
    const b = new ModelBuilder('dims');
    b.input('x', ['batch', 'seq', 8]);
    b.node('Relu', ['x'], ['y']);
    b.output('y', ['batch', 'seq', 8]);
    expect(inferShapes(b.build()).main.get('y')?.shape).toEqual([1, null, 8]);
    expect(inferShapes(b.build(), { batch: 2, dims: { seq: 5 } }).main.get('y')?.shape).toEqual([2, 5, 8]);
    expect(inferShapes(b.build(), { inputShapes: { x: [3, 4, 8] } }).main.get('y')?.shape).toEqual([3, 4, 8]);
  });

  it('strict mode names an unknown op; lenient mode records it and leaves its outputs unknown', () => {
    const b = new ModelBuilder('unknown');
    b.input('x', [2, 3]);
    b.node('FancyOp', ['x'], ['f'], {}, 'fancy');
    b.node('Relu', ['f'], ['y'], {}, 'relu');
    b.output('y', [2, 3]);
    const model = b.build();
    expect(() => inferShapes(model)).toThrow(UnsupportedOperatorError);
    expect(() => inferShapes(model)).toThrow(/^unsupported operator 'FancyOp' in node 'fancy' \(FancyOp\) in graph 'unknown': edgefit cannot infer its shapes/);
    const lenient = inferShapes(model, { strict: false });
    expect(lenient.unknownOps).toEqual([{ op: 'FancyOp', domain: '', node: 'fancy', where: "node 'fancy' (FancyOp) in graph 'unknown'" }]);
    expect(lenient.main.get('f')).toEqual({ elemType: 0 });
    expect(lenient.main.get('y')?.shape).toBeUndefined();
  });

  it('reports inconsistent shapes as InvalidModelError naming the node', () => {
    const model = singleOp({ op: 'Gemm', inputs: [['a', [3, 5]]], initializers: [weights('b', [4, 6])], outputs: ['y'] });
    expect(() => inferShapes(model)).toThrow(InvalidModelError);
    expect(() => inferShapes(model)).toThrow("node 'op' (Gemm) in graph 'gemm': inner dimensions differ: [3, 5] × [4, 6] (5 ≠ 4)");
    const conv = singleOp({ op: 'Conv', inputs: [['x', [1, 3, 2, 2]]], initializers: [weights('w', [2, 3, 3, 3])], outputs: ['y'] });
    expect(() => inferShapes(conv)).toThrow(/node 'op' \(Conv\).*does not fit input \[2, 2\]/);
  });

  it('refuses a duplicate shape-function registration loudly', () => {
    const registry = createShapeRegistry();
    expect(() => registry.register({ op: 'Relu', domain: '', infer: () => [] })).toThrow(EdgefitError);
    expect(() => registry.register({ op: 'Relu', domain: 'ai.onnx', infer: () => [] })).toThrow("shape function for operator 'Relu' (domain '') is registered twice");
    expect(() => registry.register({ op: 'Relu', domain: 'com.example', infer: () => [] })).not.toThrow();
  });

  it('never materializes a huge constant: a 2^40-element ConstantOfShape is inferred, not allocated', () => {
    const model = singleOp({ op: 'ConstantOfShape', inputs: [], initializers: [i64('s', [2 ** 20, 2 ** 20])], outputs: ['y'] });
    const info = inferShapes(model).main.get('y')!;
    expect(info.shape).toEqual([2 ** 20, 2 ** 20]);
    expect(info.value).toBeUndefined();
  });
});
