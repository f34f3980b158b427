import { describe, expect, it } from 'vitest';
import { DataType, ModelBuilder, floatTensor, int8Tensor, uint8Tensor, type onnx } from '@edgefit/onnx';
import { executedLoads, planExecutedGraph } from './executed-plan.js';

const NCHWC = 'com.microsoft.nchwc';
const MS = 'com.microsoft';

/** lenet-5's convolutions as onnxruntime executes them on an AVX-512 CPU (NCHWc block 16). */
function nchwcLenet(): onnx.ModelProto {
  const b = new ModelBuilder('executed-lenet');
  b.input('x', ['N', 1, 28, 28]);
  b.initializer(floatTensor('w1', [16, 1, 5, 5], new Float32Array(16 * 25)));
  b.node('Conv', ['x', 'w1'], ['c1'], { pads: [2, 2, 2, 2], activation: 'Relu' }, 'conv1');
  b.node('ReorderOutput', ['c1'], ['r1'], { channels: 6 }, 'reorder1');
  b.node('MaxPool', ['r1'], ['p1'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool1');
  b.initializer(floatTensor('w2', [16, 6, 5, 5], new Float32Array(16 * 150)));
  b.node('Conv', ['p1', 'w2'], ['c2'], {}, 'conv2');
  b.node('Conv', ['c2', 'w3'], ['c3'], { pads: [1, 1, 1, 1] }, 'conv3');
  b.initializer(floatTensor('w3', [16, 16, 3, 3], new Float32Array(16 * 144)));
  b.node('ReorderOutput', ['c3'], ['r3'], { channels: 16 }, 'reorder3');
  b.node('Flatten', ['r3'], ['f'], { axis: 1 }, 'flatten');
  b.initializer(floatTensor('fc', [10, 1600], new Float32Array(16000)));
  b.node('FusedGemm', ['f', 'fc'], ['y'], { transB: 1, activation: 'Relu' }, 'fc');
  b.output('y', ['N', 10]);
  const model = b.build();
  for (const node of model.graph!.node!) if (node.name !== 'pool1' && node.name !== 'flatten') node.domain = node.opType === 'FusedGemm' ? MS : NCHWC;
  model.opsetImport!.push({ domain: NCHWC, version: 1 }, { domain: MS, version: 1 });
  return model;
}

describe('planExecutedGraph', () => {
  it('prices the padded channels onnxruntime computes, tells a direct NCHW-input conv from an NCHWc one, and skips aliases', () => {
    const kernels = planExecutedGraph(nchwcLenet(), 4);
    const by = Object.fromEntries(kernels.map((k) => [k.name, k]));
    expect(kernels.map((k) => k.kind)).toEqual([
      'conv:nchwc-direct', 'reorder-output:fp32', 'pool:fp32', 'conv:nchwc-direct', 'conv:nchwc', 'reorder-output:fp32', 'matmul:fp32', 'input:fp32', 'output:fp32',
    ]);
    // 16 padded filters × 25 taps per output pixel, not the 6 the model asks for
    expect(by.conv1!.work).toBe(4 * 16 * 28 * 28 * 25);
    expect(by.conv1!.rows).toBe(4 * 28 * 28 * 25);
    expect(by.conv3!.work).toBe(4 * 16 * 10 * 10 * 144);
    expect(by.reorder1!.outputBytes).toBe(4 * 6 * 28 * 28 * 4);
    expect(by.fc!.work).toBe(4 * 10 * 1600);
    expect(by.flatten).toBeUndefined();
    expect(by.x).toMatchObject({ op: 'GraphInput', bytes: 4 * 784 * 4, outputBytes: 0 });
    expect(by.y).toMatchObject({ op: 'GraphOutput', bytes: 4 * 10 * 4, outputBytes: 4 * 10 * 4 });
    const loads = executedLoads(kernels);
    expect(loads.get('conv:nchwc-direct')).toMatchObject({ count: 2, work: by.conv1!.work + by.conv2!.work });
  });

  it('names quantized kernels by implementation: NHWC QLinearConv, QGemm, int4 DequantizeLinear, Transpose rows', () => {
    const b = new ModelBuilder('executed-q', 21);
    b.input('x', ['N', 1, 8, 8], DataType.UINT8);
    for (const p of ['x', 'w', 'y']) {
      b.initializer(floatTensor(`${p}s`, [], [0.1]));
      b.initializer(p === 'w' ? int8Tensor(`${p}z`, [], new Int8Array([0])) : uint8Tensor(`${p}z`, [], new Uint8Array([128])));
    }
    b.node('Transpose', ['x'], ['t'], { perm: [0, 2, 3, 1] }, 'to_nhwc');
    b.initializer(int8Tensor('w', [4, 1, 3, 3], new Int8Array(36)));
    b.node('QLinearConv', ['t', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], ['c'], { pads: [1, 1, 1, 1], channels_last: 1 }, 'qconv');
    b.node('Transpose', ['c'], ['u'], { perm: [0, 3, 1, 2] }, 'to_nchw');
    b.node('Flatten', ['u'], ['f'], { axis: 1 }, 'flatten');
    b.initializer(int8Tensor('wg', [10, 256], new Int8Array(2560)));
    b.node('QGemm', ['f', 'xs', 'xz', 'wg', 'ws', 'wz'], ['y'], { transB: 1 }, 'qgemm');
    b.output('y', ['N', 10]);
    const model = b.build();
    for (const node of model.graph!.node!) if (node.opType === 'QLinearConv' || node.opType === 'QGemm') node.domain = MS;
    model.opsetImport!.push({ domain: MS, version: 1 });
    const by = Object.fromEntries(planExecutedGraph(model, 2).map((k) => [k.name, k]));
    expect(by.qconv).toMatchObject({ kind: 'conv:qlinear-nhwc', work: 2 * 64 * 4 * 9, rows: 2 * 64 * 9 });
    expect(by.qgemm).toMatchObject({ kind: 'matmul:qgemm', work: 2 * 10 * 256 });
    // a Transpose walks the output's innermost runs: 2·4·8 rows of 8 (to NCHW), 2·8·8 rows of 1 (to NHWC)
    expect(by.to_nchw).toMatchObject({ kind: 'transpose:uint8', rows: 2 * 4 * 8 });
    expect(by.to_nhwc).toMatchObject({ kind: 'transpose:uint8', rows: 2 * 8 * 8 });
  });
});
