import { describe, expect, it } from 'vitest';
import { LimitExceededError, UnsupportedOperatorError } from '@edgefit/core';
import { DataType, ModelBuilder, analyzeCost, encodeModel, floatTensor, inspectModel, int64Tensor, int8Tensor, rawTensor, uint8Tensor } from '@edgefit/onnx';
import { buildIfModel, buildLenet5, buildMlp } from '../test-fixtures/models.js';
import { feedsFor, singleOp } from '../test-fixtures/single-op.js';
import { runModel } from '../test-fixtures/ort.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const weights = (name: string, dims: number[]) => floatTensor(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.01));

describe('analyzeCost on the MLP 784-300-100-10', () => {
  const dense = [[784, 300], [300, 100], [100, 10]] as const;

  it('counts 266,610 params and 266,200 MACs at batch 1 (Dropout ratio is not a parameter)', () => {
    const cost = analyzeCost(buildMlp());
    expect(cost.params).toBe(sum(dense.map(([i, o]) => i * o + o)));
    expect(cost.macs).toBe(sum(dense.map(([i, o]) => i * o)));
    expect(cost.params).toBe(266_610);
    expect(cost.macs).toBe(266_200);
    expect(cost.weightBytes).toBe(266_610 * 4);
  });

  it('reports every node as a layer with its own figures', () => {
    const cost = analyzeCost(buildMlp());
    expect(cost.layers.map((l) => [l.name, l.op, l.params, l.macs])).toEqual([
      ['flatten', 'Flatten', 0, 0],
      ['fc1', 'Gemm', 784 * 300 + 300, 784 * 300],
      ['relu1', 'Relu', 0, 0],
      ['dropout1', 'Dropout', 0, 0],
      ['fc2', 'Gemm', 300 * 100 + 100, 300 * 100],
      ['relu2', 'Relu', 0, 0],
      ['dropout2', 'Dropout', 0, 0],
      ['fc3', 'Gemm', 100 * 10 + 10, 100 * 10],
    ]);
    expect(cost.layers[1]).toMatchObject({ weightBytes: (784 * 300 + 300) * 4, outputBytes: 300 * 4, outputShape: [1, 300] });
    expect(cost.layers[3]!.outputBytes).toBe(300 * 4); // no mask output requested
  });

  it('scales MACs and activations with the batch, not params', () => {
    const cost = analyzeCost(buildMlp(), { batch: 8 });
    expect(cost.params).toBe(266_610);
    expect(cost.macs).toBe(8 * 266_200);
    expect(cost.layers.at(-1)!.outputShape).toEqual([8, 10]);
  });

  it('peak activation memory: the input plus its flattened copy (the largest live pair of the chain)', () => {
    // Chain: at each node only its input and output are live. Graph inputs count.
    const bytes = [784, 784, 300, 300, 300, 100, 100, 100, 10].map((n) => n * 4);
    const expected = Math.max(...bytes.slice(1).map((b, i) => b + bytes[i]!));
    expect(analyzeCost(buildMlp()).peakActivationBytes).toBe(expected);
    expect(expected).toBe(6272);
  });
});

describe('analyzeCost on LeNet-5', () => {
  it('counts 61,706 params and 416,520 MACs', () => {
    // [cin, cout, k, hout, wout] per conv, [in, out] per dense: formulas written out independently.
    const convs = [[1, 6, 5, 28, 28], [6, 16, 5, 10, 10]];
    const dense = [[400, 120], [120, 84], [84, 10]];
    const params = sum(convs.map(([ci, co, k]) => co! * ci! * k! * k! + co!)) + sum(dense.map(([i, o]) => i! * o! + o!));
    const macs = sum(convs.map(([ci, co, k, h, w]) => co! * h! * w! * ci! * k! * k!)) + sum(dense.map(([i, o]) => i! * o!));
    const cost = analyzeCost(buildLenet5());
    expect(cost.params).toBe(params);
    expect(cost.macs).toBe(macs);
    expect([cost.params, cost.macs]).toEqual([61_706, 416_520]);
    expect(cost.layers.filter((l) => l.op === 'Conv').map((l) => [l.macs, l.outputShape])).toEqual([[117_600, [1, 6, 28, 28]], [240_000, [1, 16, 10, 10]]]);
  });

  it('peak activation memory is the conv1 output and its Relu copy', () => {
    expect(analyzeCost(buildLenet5()).peakActivationBytes).toBe(2 * 6 * 28 * 28 * 4);
  });
});

describe('analyzeCost details', () => {
  it('counts a shared weight once, for its first reader', () => {
    const b = new ModelBuilder('shared');
    b.input('x', [1, 4]);
    b.initializer(weights('w', [4, 4]));
    b.node('MatMul', ['x', 'w'], ['h'], {}, 'mm1');
    b.node('MatMul', ['h', 'w'], ['y'], {}, 'mm2');
    b.output('y', [1, 4]);
    const cost = analyzeCost(b.build());
    expect(cost.params).toBe(16);
    expect(cost.layers.map((l) => [l.params, l.macs])).toEqual([[16, 16], [0, 16]]);
  });

  it('counts quantized weights at stored precision: int8 DequantizeLinear, per-channel scales are bytes not params', async () => {
    const b = new ModelBuilder('dq');
    b.input('x', [1, 784]);
    b.initializer(int8Tensor('wq', [784, 300], new Int8Array(784 * 300).fill(3)));
    b.initializer(floatTensor('ws', [300], new Array(300).fill(0.01)));
    b.initializer(int8Tensor('wz', [300], new Int8Array(300)));
    b.node('DequantizeLinear', ['wq', 'ws', 'wz'], ['w'], { axis: 1 }, 'dq');
    b.node('MatMul', ['x', 'w'], ['y'], {}, 'mm');
    b.output('y', [1, 300]);
    const model = b.build();
    const cost = analyzeCost(model);
    expect(cost.params).toBe(784 * 300);
    expect(cost.weightBytes).toBe(784 * 300 * 1 + 300 * 4 + 300 * 1);
    expect(cost.macs).toBe(784 * 300);
    expect((await runModel(encodeModel(model), feedsFor(model))).y!.dims).toEqual([1, 300]);
  });

  it('counts INT4 weights at half a byte', async () => {
    const b = new ModelBuilder('dq4', 21);
    b.input('x', [1, 16]);
    b.initializer(rawTensor('wq', [16, 8], DataType.INT4, new Uint8Array(64).fill(0x21)));
    b.initializer(floatTensor('ws', [], [0.1]));
    b.node('DequantizeLinear', ['wq', 'ws'], ['w'], {}, 'dq');
    b.node('MatMul', ['x', 'w'], ['y'], {}, 'mm');
    b.output('y', [1, 8]);
    const model = b.build();
    model.irVersion = 10;
    const cost = analyzeCost(model);
    expect([cost.params, cost.weightBytes, cost.macs]).toEqual([128, 64 + 4, 128]);
    expect((await runModel(encodeModel(model), feedsFor(model))).y!.dims).toEqual([1, 8]);
  });

  it('counts QLinearConv, MatMulInteger and MatMulNBits weights and MACs', () => {
    const u8 = (name: string, dims: number[]) => uint8Tensor(name, dims, new Uint8Array(dims.reduce((a, b) => a * b, 1)));
    const s = (name: string) => floatTensor(name, [], [0.1]);
    const qconv = analyzeCost(singleOp({ op: 'QLinearConv', inputs: [['x', [1, 2, 5, 5], DataType.UINT8]], initializers: [s('xs'), u8('xz', []), u8('w', [3, 2, 3, 3]), s('ws'), u8('wz', []), s('ys'), u8('yz', [])], outputs: [['y', DataType.UINT8]] }));
    expect([qconv.params, qconv.macs, qconv.weightBytes]).toEqual([54, 3 * 3 * 3 * 2 * 9, 54 + 3 * 4 + 3]);
    const mmi = analyzeCost(singleOp({ op: 'MatMulInteger', inputs: [['a', [2, 4], DataType.UINT8]], initializers: [u8('b', [4, 3])], outputs: [['y', DataType.INT32]] }));
    expect([mmi.params, mmi.macs, mmi.weightBytes]).toEqual([12, 24, 12]);
    const nbits = analyzeCost(singleOp({ op: 'MatMulNBits', domain: 'com.microsoft', inputs: [['a', [2, 64]]], initializers: [u8('b', [8, 2, 16]), floatTensor('sc', [16], new Array(16).fill(0.1))], attrs: { K: 64, N: 8, bits: 4, block_size: 32 }, outputs: ['y'] }));
    expect([nbits.params, nbits.macs, nbits.weightBytes]).toEqual([64 * 8, 2 * 64 * 8, 256 + 64]);
  });

  it('counts LSTM/GRU MACs as seq·batch·dirs·gates·H·(I+H) and ConvTranspose as input·Cout·k²', () => {
    const lstm = analyzeCost(singleOp({ op: 'LSTM', inputs: [['x', [5, 2, 3]]], initializers: [weights('w', [2, 16, 3]), weights('r', [2, 16, 4]), weights('b', [2, 32])], attrs: { hidden_size: 4, direction: 'bidirectional' }, outputs: ['y', 'yh', 'yc'] }));
    expect([lstm.params, lstm.macs]).toEqual([96 + 128 + 64, 5 * 2 * 2 * 4 * 4 * (3 + 4)]);
    const gru = analyzeCost(singleOp({ op: 'GRU', inputs: [['x', [5, 2, 3]]], initializers: [weights('w', [1, 12, 3]), weights('r', [1, 12, 4])], attrs: { hidden_size: 4 }, outputs: ['y', 'yh'] }));
    expect(gru.macs).toBe(5 * 2 * 1 * 3 * 4 * (3 + 4));
    const convT = analyzeCost(singleOp({ op: 'ConvTranspose', inputs: [['x', [1, 4, 5, 5]]], initializers: [weights('w', [4, 3, 3, 3])], attrs: { strides: [2, 2] }, outputs: ['y'] }));
    expect(convT.macs).toBe(4 * 5 * 5 * 3 * 3 * 3);
  });

  it('gives an If node every weight of its branches (scalars excluded)', () => {
    const cost = analyzeCost(buildIfModel());
    expect(cost.params).toBe(6 + 3 + 3);
    expect(cost.layers).toEqual([{ name: 'outer_if', op: 'If', params: 12, macs: 0, weightBytes: 48, outputBytes: 24, outputShape: [2, 3] }]);
  });

  it('strict mode refuses an unknown op; lenient mode still counts its parameters', () => {
    const b = new ModelBuilder('custom');
    b.input('x', [1, 8]);
    b.initializer(weights('w', [8, 8]));
    b.node('MatMul', ['x', 'w'], ['h'], {}, 'mm');
    b.node('MysteryOp', ['h', 'w'], ['y'], {}, 'mystery');
    b.output('y', [1, 8]);
    expect(() => analyzeCost(b.build())).toThrow(UnsupportedOperatorError);
    const cost = analyzeCost(b.build(), { strict: false });
    expect([cost.params, cost.macs, cost.unknownOps]).toEqual([64, 64, ['MysteryOp']]);
    expect(cost.layers[1]).toMatchObject({ op: 'MysteryOp', outputShape: null, outputBytes: 0 });
  });
});

describe('inspectModel', () => {
  it('validates bytes, then analyzes', () => {
    const report = inspectModel(encodeModel(buildMlp()));
    expect([report.params, report.macs]).toEqual([266_610, 266_200]);
  });

  it('refuses a model that fails validation before analyzing it', () => {
    const model = singleOp({ op: 'ConstantOfShape', inputs: [], initializers: [int64Tensor('s', [2], [2 ** 20, 2 ** 20])], outputs: ['y'] });
    expect(() => inspectModel(model)).toThrow(LimitExceededError);
  });
});
