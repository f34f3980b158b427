import { SeededRng } from '@edgefit/core';
import { DataType, ModelBuilder, floatTensor, int64Tensor, int8Tensor, rawTensor, uint8Tensor, type onnx } from '@edgefit/onnx';

/**
 * Single-operator models for calibration: Gemm, Conv, depthwise Conv and
 * pooling in fp32, and the quantized operator forms onnxruntime runs
 * (QLinear*, QDQ groups it fuses, *Integer, MatMulNBits, int4 DequantizeLinear)
 * at several sizes. Quantized models take and return uint8 tensors so the
 * timed run is the kernel itself, not a float↔int conversion around it.
 * Each benchmark names the operator kind (see opKind) it calibrates.
 *
 * Every benchmark but the reductions ends in a ReduceMax to one value per
 * sample (see smallOutput): what onnxruntime-node costs per run grows with
 * the bytes it hands back to JavaScript, and not smoothly (on this VM a
 * 64 KB output cost ~200 µs in some sessions and a 128 KB one 25 µs), while
 * the models we predict return a few logits. A benchmark returning its full
 * output would charge that hand-back to its operator kind; the reduction is
 * calibrated on its own (kind 'reducemax:*') and subtracted.
 */
export interface MicroBenchmark {
  name: string;
  kind: string;
  model: onnx.ModelProto;
  /**
   * Only for a calibration on executed graphs (calibrateHost with
   * executedGraph), which prices the tensors handed between JavaScript and
   * onnxruntime as kernels of their own: the per-kind fit would charge them
   * to the benchmark's operator.
   */
  executedOnly?: boolean;
}

export type BenchmarkSize = 'tiny' | 'standard';

const U8 = DataType.UINT8;

function weights(rng: SeededRng, n: number, fanIn: number): Float32Array {
  const bound = Math.sqrt(6 / fanIn);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * bound);
}
function int8Weights(rng: SeededRng, n: number): Int8Array {
  return Int8Array.from({ length: n }, () => Math.floor(rng.next() * 255) - 127);
}
function quantParams(b: ModelBuilder, prefix: string, zpType: 'u8' | 's8'): [string, string] {
  b.initializer(floatTensor(`${prefix}.s`, [], [0.02]));
  b.initializer(zpType === 'u8' ? uint8Tensor(`${prefix}.z`, [], new Uint8Array([128])) : int8Tensor(`${prefix}.z`, [], new Int8Array([0])));
  return [`${prefix}.s`, `${prefix}.z`];
}

/** Symbolic batch 'N' on the first dim: the calibration measures each model at several batch sizes. */
function gemmFp32(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  const b = new ModelBuilder(`gemm-${k}x${n}`);
  b.input('x', ['N', k]);
  b.initializer(floatTensor('w', [n, k], weights(rng, n * k, k)));
  b.initializer(floatTensor('b', [n], new Float32Array(n)));
  b.node('Gemm', ['x', 'w', 'b'], ['y'], { transB: 1 }, 'gemm');
  b.output('y', ['N', n]);
  return b.build();
}

/**
 * A Conv (c → cout), or with depth > 1 a chain of them (then cout → cout,
 * depthwise staying depthwise): onnxruntime runs a chain as NCHWc kernels
 * with one ReorderInput / ReorderOutput pair for the whole chain, as in a
 * real network, so chains of 1 and of 2–3 tell the kernels' time from the
 * reorders' (a single Conv always pays both).
 */
function convFp32(rng: SeededRng, c: number, cout: number, hw: number, k: number, group = 1, depth = 1): onnx.ModelProto {
  const b = new ModelBuilder(`conv-${c}-${cout}-${hw}-${k}-g${group}${depth > 1 ? `-x${depth}` : ''}`);
  b.input('x', ['N', c, hw, hw]);
  const p = Math.floor(k / 2);
  let input = 'x';
  for (let i = 0; i < depth; i++) {
    const [cin, g] = i === 0 ? [c, group] : [cout, group > 1 ? cout : 1];
    const fanIn = (cin / g) * k * k;
    b.initializer(floatTensor(`w${i}`, [cout, cin / g, k, k], weights(rng, cout * fanIn, fanIn)));
    b.initializer(floatTensor(`b${i}`, [cout], new Float32Array(cout)));
    const out = i === depth - 1 ? 'y' : `h${i}`;
    b.node('Conv', [input, `w${i}`, `b${i}`], [out], { kernel_shape: [k, k], pads: [p, p, p, p], group: g }, i === 0 ? 'conv' : `conv${i}`);
    input = out;
  }
  b.output('y', ['N', cout, hw, hw]);
  return b.build();
}

function pool(op: 'MaxPool' | 'GlobalAveragePool', c: number, hw: number, elemType: number = DataType.FLOAT): onnx.ModelProto {
  const b = new ModelBuilder(`${op}-${c}-${hw}`);
  b.input('x', ['N', c, hw, hw], elemType);
  if (op === 'MaxPool') {
    b.node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool');
    b.output('y', ['N', c, hw / 2, hw / 2], elemType);
  } else {
    b.node('GlobalAveragePool', ['x'], ['y'], {}, 'pool');
    b.output('y', ['N', c, 1, 1], elemType);
  }
  return b.build();
}

function elementwise(op: 'Relu' | 'Add', n: number): onnx.ModelProto {
  const b = new ModelBuilder(`${op}-${n}`);
  b.input('x', ['N', n]);
  if (op === 'Add') b.input('z', ['N', n]);
  b.node(op, op === 'Add' ? ['x', 'z'] : ['x'], ['y'], {}, op.toLowerCase());
  b.output('y', ['N', n]);
  return b.build();
}

function qlinearMatMul(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  const b = new ModelBuilder(`qlinearmatmul-${k}x${n}`);
  b.input('x', ['N', k], U8);
  const [xs, xz] = quantParams(b, 'x', 'u8');
  const [ws, wz] = quantParams(b, 'w', 's8');
  const [ys, yz] = quantParams(b, 'y', 'u8');
  b.initializer(int8Tensor('w', [k, n], int8Weights(rng, k * n)));
  b.node('QLinearMatMul', ['x', xs, xz, 'w', ws, wz, ys, yz], ['y'], {}, 'qmatmul');
  b.output('y', ['N', n], U8);
  return b.build();
}

function qlinearConv(rng: SeededRng, c: number, cout: number, hw: number, k: number, group = 1): onnx.ModelProto {
  const b = new ModelBuilder(`qlinearconv-${c}-${cout}-${hw}-${k}-g${group}`);
  b.input('x', ['N', c, hw, hw], U8);
  const [xs, xz] = quantParams(b, 'x', 'u8');
  const [ws, wz] = quantParams(b, 'w', 's8');
  const [ys, yz] = quantParams(b, 'y', 'u8');
  b.initializer(int8Tensor('w', [cout, c / group, k, k], int8Weights(rng, (cout * c * k * k) / group)));
  const p = Math.floor(k / 2);
  b.node('QLinearConv', ['x', xs, xz, 'w', ws, wz, ys, yz], ['y'], { kernel_shape: [k, k], pads: [p, p, p, p], group }, 'qconv');
  b.output('y', ['N', cout, hw, hw], U8);
  return b.build();
}

/** uint8 → DQ → Gemm/Conv (DQ'd int8 weights) → Q → uint8: the QDQ group onnxruntime fuses into a QLinear kernel. */
function qdqGroup(rng: SeededRng, kind: 'gemm' | 'conv', dims: number[]): onnx.ModelProto {
  const b = new ModelBuilder(`qdq-${kind}-${dims.join('-')}`);
  const [xs, xz] = quantParams(b, 'x', 'u8');
  const ws = b.initializer(floatTensor('w.s', [], [0.02]));
  const [ys, yz] = quantParams(b, 'y', 'u8');
  if (kind === 'gemm') {
    const [k, n] = dims as [number, number];
    b.input('x', ['N', k], U8);
    b.initializer(int8Tensor('wq', [n, k], int8Weights(rng, n * k)));
    // with the weight's zero point, as the quantize pass writes it: without one onnxruntime does not fuse the group
    b.initializer(int8Tensor('w.z', [], new Int8Array([0])));
    b.node('DequantizeLinear', ['x', xs, xz], ['xf']);
    b.node('DequantizeLinear', ['wq', ws, 'w.z'], ['wf']);
    b.node('Gemm', ['xf', 'wf'], ['yf'], { transB: 1 }, 'gemm');
    b.node('QuantizeLinear', ['yf', ys, yz], ['y']);
    b.output('y', ['N', n], U8);
  } else {
    const [c, cout, hw, k] = dims as [number, number, number, number];
    b.input('x', ['N', c, hw, hw], U8);
    b.initializer(int8Tensor('wq', [cout, c, k, k], int8Weights(rng, cout * c * k * k)));
    const p = Math.floor(k / 2);
    b.node('DequantizeLinear', ['x', xs, xz], ['xf']);
    b.node('DequantizeLinear', ['wq', ws], ['wf']);
    b.node('Conv', ['xf', 'wf'], ['yf'], { kernel_shape: [k, k], pads: [p, p, p, p] }, 'conv');
    b.node('QuantizeLinear', ['yf', ys, yz], ['y']);
    b.output('y', ['N', cout, hw, hw], U8);
  }
  return b.build();
}

function integerOp(rng: SeededRng, kind: 'matmul' | 'conv', dims: number[], group = 1): onnx.ModelProto {
  const b = new ModelBuilder(`integer-${kind}-${dims.join('-')}${group > 1 ? `-g${group}` : ''}`);
  b.initializer(uint8Tensor('xz', [], new Uint8Array([128])));
  if (kind === 'matmul') {
    const [k, n] = dims as [number, number];
    b.input('x', ['N', k], U8);
    b.initializer(int8Tensor('w', [k, n], int8Weights(rng, k * n)));
    b.node('MatMulInteger', ['x', 'w', 'xz'], ['y'], {}, 'mmi');
    b.output('y', ['N', n], DataType.INT32);
  } else {
    const [c, cout, hw, k] = dims as [number, number, number, number];
    b.input('x', ['N', c, hw, hw], U8);
    // int8 weights with their zero point, as the quantize pass's dynamic form emits them (onnxruntime
    // runs ConvInteger with int8 weights several times slower than with uint8 ones)
    const cg = c / group;
    b.initializer(int8Tensor('w', [cout, cg, k, k], int8Weights(rng, cout * cg * k * k)));
    b.initializer(int8Tensor('wz', [], new Int8Array([0])));
    const p = Math.floor(k / 2);
    b.node('ConvInteger', ['x', 'w', 'xz', 'wz'], ['y'], { kernel_shape: [k, k], pads: [p, p, p, p], group }, 'convi');
    b.output('y', ['N', cout, hw, hw], DataType.INT32);
  }
  return b.build();
}

function matMulNBits(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  const b = new ModelBuilder(`matmulnbits-${k}x${n}`);
  b.input('x', ['N', k]);
  const blocks = Math.ceil(k / 32);
  b.initializer(uint8Tensor('b', [n, blocks, 16], Uint8Array.from({ length: n * blocks * 16 }, () => Math.floor(rng.next() * 256))));
  b.initializer(floatTensor('s', [n * blocks], new Float32Array(n * blocks).fill(0.01)));
  b.node('MatMulNBits', ['x', 'b', 's'], ['y'], { K: k, N: n, bits: 4, block_size: 32 }, 'mmnb');
  b.output('y', ['N', n]);
  const model = b.build();
  model.graph!.node![0]!.domain = 'com.microsoft';
  model.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
  return model;
}

/**
 * Dynamic quantization as the quantize pass emits it: DynamicQuantizeLinear →
 * MatMulInteger → Cast → Mul(x scale · w scale) → Mul → Add(bias), float in
 * and out; onnxruntime fuses the chain into one DynamicQuantizeMatMul kernel
 * (kind 'matmul:dynamic').
 */
function dynamicMatMul(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  const b = new ModelBuilder(`dynamic-matmul-${k}x${n}`, 11);
  b.input('x', ['N', k]);
  b.initializer(int8Tensor('wq', [k, n], int8Weights(rng, k * n)));
  b.initializer(int8Tensor('wz', [], new Int8Array([0])));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.initializer(floatTensor('bias', [n], new Float32Array(n).fill(0.1)));
  b.node('DynamicQuantizeLinear', ['x'], ['xq', 'xs', 'xz'], {}, 'dql');
  b.node('MatMulInteger', ['xq', 'wq', 'xz', 'wz'], ['acc'], {}, 'mmi');
  b.node('Cast', ['acc'], ['accf'], { to: DataType.FLOAT }, 'cast');
  b.node('Mul', ['xs', 'ws'], ['scale'], {}, 'scale');
  b.node('Mul', ['accf', 'scale'], ['scaled'], {}, 'mul');
  b.node('Add', ['scaled', 'bias'], ['y'], {}, 'bias');
  b.output('y', ['N', n]);
  return b.build();
}

/** Weight-only int4: DequantizeLinear(int4) → MatMul; calibrates 'dequantize:int4' once 'matmul:fp32' is known. */
function weightOnlyInt4(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  // INT4 DequantizeLinear needs opset 21, which wants IR version 10
  const b = new ModelBuilder(`dq-int4-${k}x${n}`, 21);
  b.input('x', ['N', k]);
  b.initializer(rawTensor('wq', [k, n], DataType.INT4, Uint8Array.from({ length: Math.ceil((k * n) / 2) }, () => Math.floor(rng.next() * 256))));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.node('DequantizeLinear', ['wq', 'ws'], ['w'], {}, 'dq');
  b.node('MatMul', ['x', 'w'], ['y'], {}, 'matmul');
  b.output('y', ['N', n]);
  const model = b.build();
  model.irVersion = 10;
  return model;
}

/**
 * Weight-only int4 before a Gemm: onnxruntime fuses DequantizeLinear(int4) →
 * MatMul into MatMulNBits, but not before a Gemm, where the weight is
 * dequantized on every run (as in a QDQ model at 4 bits): 'dequantize:int4'.
 */
function weightOnlyInt4Gemm(rng: SeededRng, k: number, n: number): onnx.ModelProto {
  const b = new ModelBuilder(`dq-int4-gemm-${k}x${n}`, 21);
  b.input('x', ['N', k]);
  b.initializer(rawTensor('wq', [n, k], DataType.INT4, Uint8Array.from({ length: Math.ceil((k * n) / 2) }, () => Math.floor(rng.next() * 256))));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.node('DequantizeLinear', ['wq', 'ws'], ['w'], {}, 'dq');
  b.node('Gemm', ['x', 'w'], ['y'], { transB: 1 }, 'gemm');
  b.output('y', ['N', n]);
  const model = b.build();
  model.irVersion = 10;
  return model;
}

/**
 * Weight-only int4 before a Conv: the weight is dequantized on every run and,
 * not being a constant, keeps the convolution off onnxruntime's NCHWc path —
 * the plain im2col Conv a 4-bit QDQ model runs ('conv:fp32', 'dwconv:fp32').
 */
function weightOnlyInt4Conv(rng: SeededRng, c: number, cout: number, hw: number, k: number, group = 1): onnx.ModelProto {
  const b = new ModelBuilder(`dq-int4-conv-${c}-${cout}-${hw}-${k}-g${group}`, 21);
  b.input('x', ['N', c, hw, hw]);
  const n = (cout * c * k * k) / group;
  b.initializer(rawTensor('wq', [cout, c / group, k, k], DataType.INT4, Uint8Array.from({ length: Math.ceil(n / 2) }, () => Math.floor(rng.next() * 256))));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.node('DequantizeLinear', ['wq', 'ws'], ['w'], {}, 'dq');
  const p = Math.floor(k / 2);
  b.node('Conv', ['x', 'w'], ['y'], { kernel_shape: [k, k], pads: [p, p, p, p], group }, 'conv');
  b.output('y', ['N', cout, hw, hw]);
  const model = b.build();
  model.irVersion = 10;
  return model;
}

/**
 * A uint8 Transpose between layouts, as the quantized NHWC kernels are fed and
 * read: onnxruntime's cost per innermost run (one input channel: one byte per
 * run) is its own, and without it the fit blamed the NHWC convolution beside it.
 * The Reshape keeps the transposed layout observable (a reduction straight
 * after it is layout-blind, and onnxruntime drops the Transpose).
 */
function transposeU8(c: number, hw: number, toNhwc: boolean): onnx.ModelProto {
  const b = new ModelBuilder(`transpose-${c}-${hw}-${toNhwc ? 'nhwc' : 'nchw'}`);
  b.input('x', toNhwc ? ['N', c, hw, hw] : ['N', hw, hw, c], U8);
  b.node('Transpose', ['x'], ['t'], { perm: toNhwc ? [0, 2, 3, 1] : [0, 3, 1, 2] }, 'transpose');
  b.initializer(int64Tensor('flat.shape', [2], [0, -1]));
  b.node('Reshape', ['t', 'flat.shape'], ['y'], {}, 'flat');
  b.output('y', ['N', c * hw * hw], U8);
  return b.build();
}

/** A Relu before a GlobalAveragePool: onnxruntime keeps this pool in NCHW (no reorder), as after a quantized block. */
function reluGlobalPool(c: number, hw: number): onnx.ModelProto {
  const b = new ModelBuilder(`relu-gap-${c}-${hw}`);
  b.input('x', ['N', c, hw, hw]);
  b.node('Relu', ['x'], ['r'], {}, 'relu');
  b.node('GlobalAveragePool', ['r'], ['y'], {}, 'gap');
  b.output('y', ['N', c, 1, 1]);
  return b.build();
}

/**
 * A Relu whose whole output goes back to JavaScript: onnxruntime-node's cost
 * of handing `n` floats per sample back, which an autoencoder's image-sized
 * output pays and a classifier's logits do not (executed graphs only).
 */
function fullOutput(n: number): onnx.ModelProto {
  const b = new ModelBuilder(`output-${n}`);
  b.input('x', ['N', n]);
  b.node('Relu', ['x'], ['y'], {}, 'relu');
  b.output('y', ['N', n]);
  return b.build();
}

/**
 * The element-wise nodes quantized graphs run on their own: QuantizeLinear
 * (float → uint8), DequantizeLinear (uint8 → float), DynamicQuantizeLinear,
 * Cast (int32 → float), Mul by a scalar, a bias Add broadcast over the batch,
 * Sigmoid. onnxruntime runs them as separate kernels wherever a Q/DQ group
 * does not fuse (graph inputs and outputs, weight-only and simulated layers).
 */
function quantElementwise(op: 'QuantizeLinear' | 'DequantizeLinear' | 'DynamicQuantizeLinear' | 'Cast' | 'Mul' | 'BiasAdd' | 'Sigmoid', n: number): onnx.ModelProto {
  const b = new ModelBuilder(`${op.toLowerCase()}-${n}`);
  const inType = op === 'DequantizeLinear' ? U8 : op === 'Cast' ? DataType.INT32 : DataType.FLOAT;
  const outType = op === 'QuantizeLinear' || op === 'DynamicQuantizeLinear' ? U8 : DataType.FLOAT;
  b.input('x', ['N', n], inType);
  switch (op) {
    case 'QuantizeLinear': {
      const [s, z] = quantParams(b, 'q', 'u8');
      b.node('QuantizeLinear', ['x', s, z], ['y'], {}, 'q');
      break;
    }
    case 'DequantizeLinear': {
      const [s, z] = quantParams(b, 'q', 'u8');
      b.node('DequantizeLinear', ['x', s, z], ['y'], {}, 'dq');
      break;
    }
    case 'DynamicQuantizeLinear':
      b.node('DynamicQuantizeLinear', ['x'], ['y', 'ys', 'yz'], {}, 'dql');
      break;
    case 'Cast':
      b.node('Cast', ['x'], ['y'], { to: DataType.FLOAT }, 'cast');
      break;
    case 'Mul':
      b.initializer(floatTensor('m', [], [0.5]));
      b.node('Mul', ['x', 'm'], ['y'], {}, 'mul');
      break;
    case 'BiasAdd':
      b.initializer(floatTensor('bias', [n], new Float32Array(n).fill(0.25)));
      b.node('Add', ['x', 'bias'], ['y'], {}, 'add');
      break;
    case 'Sigmoid':
      b.node('Sigmoid', ['x'], ['y'], {}, 'sigmoid');
      break;
  }
  b.output('y', ['N', n], outType);
  return b.build();
}

const QUANT_ELEMENTWISE_KINDS = {
  QuantizeLinear: 'quantize:int8',
  DequantizeLinear: 'dequantize:int8',
  DynamicQuantizeLinear: 'dynamicquantizelinear:fp32',
  Cast: 'cast:fp32',
  Mul: 'mul:fp32',
  BiasAdd: 'add:fp32',
  Sigmoid: 'sigmoid:fp32',
} as const;

/**
 * The benchmark with its output 'y' (N × …) reduced to one value per sample by
 * a ReduceMax over the non-batch axes, so the run returns N values instead of
 * the whole tensor (see the file comment). Opset 18 moved `axes` from an
 * attribute to an input.
 */
export function smallOutput(model: onnx.ModelProto): onnx.ModelProto {
  const graph = model.graph!;
  const out = graph.output!.find((o) => o.name === 'y');
  const dims = out?.type?.tensorType?.shape?.dim;
  if (!out || !dims || dims.length < 2) throw new Error(`micro-benchmark ${graph.name}: no output 'y' of rank ≥ 2 to reduce`);
  for (const node of graph.node!) node.output = node.output!.map((o) => (o === 'y' ? 'y.full' : o));
  const axes = dims.slice(1).map((_, i) => i + 1);
  const opset = model.opsetImport!.find((o) => !o.domain)?.version;
  const reduce: onnx.INodeProto = { opType: 'ReduceMax', name: 'reduce', input: ['y.full'], output: ['y'], attribute: [] };
  if (Number(opset) >= 18) {
    graph.initializer!.push(int64Tensor('reduce.axes', [axes.length], axes));
    reduce.input!.push('reduce.axes');
  } else {
    reduce.attribute!.push({ name: 'axes', type: 7 /* INTS */, ints: axes });
  }
  reduce.attribute!.push({ name: 'keepdims', type: 2 /* INT */, i: 0 });
  graph.node!.push(reduce);
  out.type!.tensorType!.shape!.dim = [dims[0]!];
  return model;
}

/** The kinds of the reductions every other benchmark ends in: always calibrated, before the rest. */
export const REDUCTION_KINDS = ['reducemax:fp32', 'reducemax:int8'] as const;

/** A reduction alone: calibrates the ReduceMax every other benchmark ends in. */
function reduction(n: number, elemType: number): onnx.ModelProto {
  const b = new ModelBuilder(`reducemax-${n}-t${elemType}`);
  b.input('x', ['N', n], elemType);
  b.node('ReduceMax', ['x'], ['y'], { axes: [1], keepdims: 0 }, 'reduce');
  b.output('y', ['N'], elemType);
  return b.build();
}

/** Identity: what one inference costs with no work (session.run, feeds, fetches). */
export function identityModel(): onnx.ModelProto {
  const b = new ModelBuilder('identity');
  b.input('x', ['N', 16]);
  b.node('Identity', ['x'], ['y'], {}, 'identity');
  b.output('y', ['N', 16]);
  return b.build();
}

export function microBenchmarks(size: BenchmarkSize = 'standard', seed = 1): MicroBenchmark[] {
  const rng = new SeededRng(seed);
  const tiny = size === 'tiny';
  const gemms: [number, number][] = tiny ? [[64, 64], [256, 128], [512, 512]] : [[64, 64], [128, 256], [256, 256], [512, 512], [1024, 256], [784, 300], [1024, 1024]];
  const convs: [number, number, number, number][] = tiny
    ? [[1, 8, 28, 3], [8, 16, 14, 3], [16, 32, 8, 5]]
    : [[1, 6, 28, 5], [6, 16, 14, 5], [3, 16, 32, 3], [16, 32, 16, 3], [32, 64, 16, 3], [64, 64, 8, 3], [32, 64, 14, 1], [64, 128, 7, 1]];
  const dws: [number, number][] = tiny ? [[16, 28], [32, 14], [64, 7]] : [[16, 28], [32, 28], [32, 14], [64, 14], [128, 7], [256, 7]];
  const pools: [number, number][] = tiny ? [[8, 28], [16, 14], [32, 8]] : [[6, 28], [16, 28], [16, 10], [32, 16], [64, 8]];
  const out: MicroBenchmark[] = [];
  const add = (kind: string, model: onnx.ModelProto, executedOnly = false) =>
    out.push({ name: model.graph!.name ?? kind, kind, model: smallOutput(model), ...(executedOnly ? { executedOnly } : {}) });
  // the reductions first: every other benchmark ends in one (smallOutput); an
  // int32 reduction (after *Integer) is costed as 'reducemax:fp32', 4-byte elements as well
  for (const [elemType, kind] of [[DataType.FLOAT, REDUCTION_KINDS[0]], [U8, REDUCTION_KINDS[1]]] as const) {
    for (const n of tiny ? [1024, 65536] : [256, 4096, 65536, 262144]) out.push({ name: `reducemax-${n}-${kind.split(':')[1]}`, kind, model: reduction(n, elemType) });
  }
  for (const [k, n] of gemms) add('matmul:fp32', gemmFp32(rng, k, n));
  for (const [c, co, hw, k] of convs) add('conv:fp32', convFp32(rng, c, co, hw, k));
  for (const [c, hw] of dws) add('dwconv:fp32', convFp32(rng, c, c, hw, 3, c));
  // chains: NCHWc kernels between one pair of reorders (see convFp32); only the executed-graph fit
  // has reorders to tell apart, and the per-kind fit would price a chain as one layer
  for (const [c, hw] of dws) add('dwconv:fp32', convFp32(rng, c, c, hw, 3, c, 3), true);
  for (const [c, co, hw, k] of convs.filter(([c0]) => c0 >= 16)) add('conv:fp32', convFp32(rng, c, co, hw, k, 1, 2), true);
  for (const [c, hw] of pools) add('pool:fp32', pool('MaxPool', c, hw));
  for (const [c, hw] of pools) add('gpool:fp32', pool('GlobalAveragePool', c, hw));
  for (const [c, hw] of pools) add('pool:int8', pool('MaxPool', c, hw, U8));
  for (const n of tiny ? [1024, 8192, 65536] : [1024, 4096, 16384, 65536]) {
    add('relu:fp32', elementwise('Relu', n));
    add('add:fp32', elementwise('Add', n));
  }
  for (const [k, n] of gemms) add('matmul:qlinear', qlinearMatMul(rng, k, n));
  for (const [k, n] of gemms) add('matmul:qlinear', qdqGroup(rng, 'gemm', [k, n]));
  for (const [c, co, hw, k] of convs) add('conv:qlinear', qlinearConv(rng, c, co, hw, k));
  for (const [c, co, hw, k] of convs) add('conv:qlinear', qdqGroup(rng, 'conv', [c, co, hw, k]));
  for (const [c, hw] of dws) add('dwconv:qlinear', qlinearConv(rng, c, c, hw, 3, c));
  for (const [k, n] of gemms) add('matmul:integer', integerOp(rng, 'matmul', [k, n]));
  for (const [c, co, hw, k] of convs) add('conv:integer', integerOp(rng, 'conv', [c, co, hw, k]));
  for (const [c, hw] of dws) add('dwconv:integer', integerOp(rng, 'conv', [c, c, hw, 3], c));
  for (const [k, n] of gemms) add('matmul:nbits', matMulNBits(rng, k, n));
  for (const [k, n] of gemms) add('dequantize:int4', weightOnlyInt4(rng, k, n));
  for (const [k, n] of gemms) add('dequantize:int4', weightOnlyInt4Gemm(rng, k, n));
  for (const [c, co, hw, k] of convs) add('dequantize:int4', weightOnlyInt4Conv(rng, c, co, hw, k));
  for (const [c, hw] of dws) add('dequantize:int4', weightOnlyInt4Conv(rng, c, c, hw, 3, c));
  for (const [op, kind] of Object.entries(QUANT_ELEMENTWISE_KINDS) as [keyof typeof QUANT_ELEMENTWISE_KINDS, string][]) {
    for (const n of tiny ? [1024, 65536] : [512, 8192, 65536]) add(kind, quantElementwise(op, n));
  }
  for (const [k, n] of gemms) add('matmul:dynamic', dynamicMatMul(rng, k, n));
  for (const n of tiny ? [2048] : [784, 2048, 4096]) out.push({ name: `output-${n}`, kind: 'relu:fp32', model: fullOutput(n), executedOnly: true });
  const layouts: [number, number, boolean][] = tiny ? [[1, 28, true], [64, 7, false]] : [[1, 28, true], [3, 32, true], [16, 14, true], [64, 8, true], [16, 28, false], [64, 14, false], [128, 7, false]];
  for (const [c, hw, toNhwc] of layouts) add('transpose:int8', transposeU8(c, hw, toNhwc), true);
  for (const [c, hw] of tiny ? [[64, 7]] : [[16, 28], [64, 14], [128, 7], [12, 28]]) add('gpool:fp32', reluGlobalPool(c, hw), true);
  return out;
}
