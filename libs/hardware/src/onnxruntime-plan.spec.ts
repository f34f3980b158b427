import { describe, expect, it } from 'vitest';
import { DataType, ModelBuilder, floatTensor, int8Tensor, uint8Tensor, type onnx } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { predictCost } from './cost-model.js';
import { defaultHostProfile } from './host-profile.js';
import { writeLayerBits } from './layer-annotation.js';
import { calibratedCoefficients } from './layer-cost.js';
import { extractLayerFacts } from './layer-facts.js';
import { planLayers, type LayerPlan } from './layer-plan.js';
import { microBenchmarks } from './micro-benchmarks.js';
import { qlinearConvModel } from './testing/quantized-models.js';

/**
 * The host-cpu plan mirrors what onnxruntime's CPU graph optimizer really
 * runs (checked against the optimized graphs onnxruntime 1.30 writes for the
 * quantize pass's forms): which activations, BatchNormalizations and bias
 * Adds fuse, which Q/DQ nodes remain, and which chains become one kernel.
 */
const run = (model: onnx.ModelProto) =>
  planLayers(extractLayerFacts(model, { batch: 1 }), 'onnxruntime').filter((p) => p.kind === 'mac' || p.kind === 'elementwise');
const kinds = (plans: LayerPlan[]) => plans.map((p) => `${p.facts.op}=${p.opKind}`);

function actQ(b: ModelBuilder): [string, string] {
  b.initializer(floatTensor('a.s', [], [0.02]));
  b.initializer(uint8Tensor('a.z', [], new Uint8Array([0])));
  return ['a.s', 'a.z'];
}

/** QOperator layer as the quantize pass emits it: Q → QLinearMatMul → DQ → Add(bias) → Relu → Q → QLinearMatMul → DQ. */
function qoperatorMlp(): onnx.ModelProto {
  const b = new ModelBuilder('qop-mlp');
  const [s, z] = actQ(b);
  b.initializer(floatTensor('w.s', [], [0.01]));
  b.initializer(int8Tensor('w.z', [], new Int8Array([0])));
  b.initializer(int8Tensor('w1', [16, 8], new Int8Array(128).fill(1)));
  b.initializer(int8Tensor('w2', [8, 4], new Int8Array(32).fill(1)));
  b.initializer(floatTensor('b1', [8], new Float32Array(8)));
  b.input('x', ['N', 16]);
  b.node('QuantizeLinear', ['x', s, z], ['xq']);
  b.node('QLinearMatMul', ['xq', s, z, 'w1', 'w.s', 'w.z', s, z], ['h1q'], {}, 'fc1');
  b.node('DequantizeLinear', ['h1q', s, z], ['h1']);
  b.node('Add', ['h1', 'b1'], ['h1b'], {}, 'fc1.bias');
  b.node('Relu', ['h1b'], ['r1'], {}, 'relu1');
  b.node('Dropout', ['r1'], ['d1'], {}, 'drop1');
  b.node('QuantizeLinear', ['d1', s, z], ['r1q']);
  b.node('QLinearMatMul', ['r1q', s, z, 'w2', 'w.s', 'w.z', s, z], ['yq'], {}, 'fc2');
  b.node('DequantizeLinear', ['yq', s, z], ['y']);
  b.output('y', ['N', 4]);
  return b.build();
}

/** Dynamic quantization of one Gemm layer, then a Relu. */
function dynamicLayer(): onnx.ModelProto {
  const b = new ModelBuilder('dynamic', 11);
  b.input('x', ['N', 16]);
  b.initializer(int8Tensor('wq', [16, 8], new Int8Array(128).fill(1)));
  b.initializer(int8Tensor('wz', [], new Int8Array([0])));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.initializer(floatTensor('bias', [8], new Float32Array(8)));
  b.node('DynamicQuantizeLinear', ['x'], ['xq', 'xs', 'xz']);
  b.node('MatMulInteger', ['xq', 'wq', 'xz', 'wz'], ['acc'], {}, 'fc');
  b.node('Cast', ['acc'], ['accf'], { to: DataType.FLOAT });
  b.node('Mul', ['xs', 'ws'], ['scale']);
  b.node('Mul', ['accf', 'scale'], ['scaled']);
  b.node('Add', ['scaled', 'bias'], ['h'], {}, 'fc.bias');
  b.node('Relu', ['h'], ['y'], {}, 'relu');
  b.output('y', ['N', 8]);
  return b.build();
}

/** Q → DQ → Conv(float weights) → Q → DQ → BatchNormalization → Relu → GlobalAveragePool. */
function simulatedConvWithBn(): onnx.ModelProto {
  const b = new ModelBuilder('sim-conv');
  const [s, z] = actQ(b);
  b.input('x', ['N', 4, 8, 8]);
  b.initializer(floatTensor('w', [8, 4, 3, 3], new Float32Array(288).fill(0.01)));
  for (const p of ['g', 'beta', 'mean', 'var']) b.initializer(floatTensor(p, [8], new Float32Array(8).fill(p === 'var' || p === 'g' ? 1 : 0)));
  b.node('QuantizeLinear', ['x', s, z], ['xq']);
  b.node('DequantizeLinear', ['xq', s, z], ['xd']);
  b.node('Conv', ['xd', 'w'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv');
  b.node('QuantizeLinear', ['c', s, z], ['cq']);
  b.node('DequantizeLinear', ['cq', s, z], ['cd']);
  b.node('BatchNormalization', ['cd', 'g', 'beta', 'mean', 'var'], ['bn'], {}, 'bn');
  b.node('Relu', ['bn'], ['r'], {}, 'relu');
  b.node('GlobalAveragePool', ['r'], ['y'], {}, 'gap');
  b.output('y', ['N', 8, 1, 1]);
  const m = b.build();
  writeLayerBits(m.graph!.node![2]!, { wBits: 4, aBits: 8 });
  return m;
}

describe('host-cpu plan: what onnxruntime runs', () => {
  it('keeps Conv+BN+Relu and Gemm+Relu fused in float graphs', () => {
    expect(kinds(run(getZooModel('lenet-5').build(1)))).toEqual([
      'Conv=conv:fp32', 'MaxPool=pool:fp32', 'Conv=conv:fp32', 'MaxPool=pool:fp32', 'Gemm=matmul:fp32', 'Gemm=matmul:fp32', 'Gemm=matmul:fp32',
    ]);
    expect(run(getZooModel('mobilenet-tiny').build(1)).some((p) => p.facts.op === 'BatchNormalization' || p.facts.op === 'Relu')).toBe(false);
  });

  it('runs the bias Add after a QLinearMatMul and drops a Relu that only feeds a QuantizeLinear', () => {
    expect(kinds(run(qoperatorMlp()))).toEqual([
      'QuantizeLinear=quantize:int8', 'QLinearMatMul=matmul:qlinear', 'DequantizeLinear=dequantize:int8', 'Add=add:fp32',
      'QuantizeLinear=quantize:int8', 'QLinearMatMul=matmul:qlinear', 'DequantizeLinear=dequantize:int8',
    ]);
  });

  it('fuses DynamicQuantizeLinear → MatMulInteger → Cast → Mul → Mul → Add into one kernel; the Relu runs on its own', () => {
    const plans = run(dynamicLayer());
    expect(kinds(plans)).toEqual(['MatMulInteger=matmul:dynamic', 'Relu=relu:fp32']);
    expect(plans[0]!.inputBytes).toBe(16 * 4); // the float input of DynamicQuantizeLinear
    expect(plans[0]!.outputBytes).toBe(8 * 4);
    // the calibration benchmark of the kind has the same structure (and ends in the reduction every benchmark ends in)
    const bench = microBenchmarks('standard').find((b) => b.kind === 'matmul:dynamic')!;
    expect(kinds(run(bench.model))).toEqual(['MatMulInteger=matmul:dynamic', 'ReduceMax=reducemax:fp32']);
  });

  it('fuses a simulated float layer between DQ and Q into an integer kernel, and runs the BatchNormalization after its DQ', () => {
    const plans = run(simulatedConvWithBn());
    expect(kinds(plans)).toEqual(['QuantizeLinear=quantize:int8', 'Conv=conv:qlinear', 'DequantizeLinear=dequantize:int8', 'BatchNormalization=batchnormalization:fp32', 'Relu=relu:fp32', 'GlobalAveragePool=gpool:fp32']);
    expect(plans[1]!.weightBytes).toBe(288); // int8 weights after onnxruntime quantizes them
  });

  it('does not let a precision marker hide the operator form the graph expresses', () => {
    const m = qlinearConvModel();
    writeLayerBits(m.graph!.node![0]!, { wBits: 8, aBits: 8 });
    const [conv] = extractLayerFacts(m).layers;
    expect(conv!.form).toBe('qlinear');
    expect(run(m)[0]!.opKind).toBe('conv:qlinear');
  });
});

describe('calibrated coefficients', () => {
  it('fall back to the fp32 kernel of the family, then to generic element-wise kinds', () => {
    const coef = (a: number) => ({ interceptMs: a, msPerMac: 0, msPerByte: 0, samples: 1, rmsRelativeError: 0 });
    const profile = {
      ...defaultHostProfile(),
      calibration: { method: 'test', measuredAt: '2026-01-01T00:00:00Z', host: 'test', threads: 1, runOverheadMs: 0, ops: { 'add:fp32': coef(0.002), 'dequantize:int8': coef(0.003), 'conv:fp32': coef(0.01) } },
    };
    const plans = run(simulatedConvWithBn());
    const bn = plans.find((p) => p.facts.op === 'BatchNormalization')!;
    const dq = plans.find((p) => p.facts.op === 'DequantizeLinear')!;
    const conv = plans.find((p) => p.facts.op === 'Conv')!;
    expect(calibratedCoefficients(profile, bn)?.interceptMs).toBe(0.002);
    expect(calibratedCoefficients(profile, dq)?.interceptMs).toBe(0.003);
    expect(calibratedCoefficients(profile, conv)?.interceptMs).toBe(0.01); // conv:qlinear → conv:fp32
    // every costed layer of a calibrated profile is calibrated
    expect(predictCost(simulatedConvWithBn(), profile).perLayer.filter((l) => l.kind === 'mac' || l.kind === 'elementwise').every((l) => l.bound === 'calibrated')).toBe(true);
  });
});
