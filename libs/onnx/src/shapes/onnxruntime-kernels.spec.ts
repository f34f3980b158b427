import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../model-builder.js';
import { DataType, type onnx } from '../proto.js';
import { inferShapes } from '../shape-inference.js';
import { floatTensor, int8Tensor, uint8Tensor } from '../tensor.js';
import { executedGraphShapeRegistry, shapeRegistry } from './index.js';

/** A graph whose nodes named in `domains` belong to onnxruntime's internal domains. */
function executed(build: (b: ModelBuilder) => void, domains: Record<string, string>): onnx.ModelProto {
  const b = new ModelBuilder('executed');
  build(b);
  const model = b.build();
  for (const node of model.graph!.node!) if (domains[node.name!]) node.domain = domains[node.name!];
  for (const d of new Set(Object.values(domains))) model.opsetImport!.push({ domain: d, version: 1 });
  return model;
}
const NCHWC = 'com.microsoft.nchwc';
const MS = 'com.microsoft';
const shapeOf = (model: onnx.ModelProto, value: string, batch = 2) => inferShapes(model, { batch, registry: executedGraphShapeRegistry }).main.get(value)?.shape;

describe('shapes of onnxruntime-internal kernels', () => {
  it('NCHWc Conv takes its (block-padded) channel count from the weight; ReorderOutput restores the logical count', () => {
    const model = executed((b) => {
      b.input('x', ['N', 1, 28, 28]);
      b.initializer(floatTensor('w', [16, 1, 5, 5], new Float32Array(16 * 25))); // 6 filters padded to a block of 16
      b.node('Conv', ['x', 'w'], ['c'], { pads: [2, 2, 2, 2], activation: 'Relu' }, 'conv');
      b.node('MaxPool', ['c'], ['p'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool');
      b.node('ReorderOutput', ['p'], ['y'], { channels: 6 }, 'reorder');
      b.node('ReorderOutput', ['p'], ['z'], { channels: 6, channels_last: 1 }, 'reorder_nhwc');
      b.output('y', ['N', 6, 14, 14]);
      b.output('z', ['N', 14, 14, 6]);
    }, { conv: NCHWC, pool: NCHWC, reorder: NCHWC, reorder_nhwc: NCHWC });
    expect(shapeOf(model, 'c')).toEqual([2, 16, 28, 28]);
    expect(shapeOf(model, 'p')).toEqual([2, 16, 14, 14]);
    expect(shapeOf(model, 'y')).toEqual([2, 6, 14, 14]);
    expect(shapeOf(model, 'z')).toEqual([2, 14, 14, 6]);
  });

  it('NHWC QLinearConv, NhwcMaxPool and ReorderInput from NHWC keep channels last', () => {
    const model = executed((b) => {
      b.input('x', ['N', 28, 28, 3], DataType.UINT8);
      for (const p of ['x', 'w', 'y']) {
        b.initializer(floatTensor(`${p}s`, [], [0.1]));
        b.initializer(p === 'w' ? int8Tensor(`${p}z`, [], new Int8Array([0])) : uint8Tensor(`${p}z`, [], new Uint8Array([128])));
      }
      b.initializer(int8Tensor('w', [8, 3, 3, 3], new Int8Array(8 * 27)));
      b.node('QLinearConv', ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], ['c'], { pads: [1, 1, 1, 1], strides: [2, 2], channels_last: 1 }, 'qconv');
      b.node('NhwcMaxPool', ['c'], ['p'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool');
      b.node('ReorderInput', ['p'], ['r'], { channels_last: 1 }, 'reorder');
      b.output('r', ['N', 8, 7, 7], DataType.UINT8);
    }, { qconv: MS, pool: MS, reorder: NCHWC });
    expect(shapeOf(model, 'c')).toEqual([2, 14, 14, 8]);
    expect(shapeOf(model, 'p')).toEqual([2, 7, 7, 8]);
    expect(shapeOf(model, 'r')).toEqual([2, 8, 7, 7]);
  });

  it('fused and integer matrix kernels: FusedGemm, QGemm (float or quantized out), DynamicQuantizeMatMul', () => {
    const model = executed((b) => {
      b.input('x', ['N', 64]);
      b.initializer(floatTensor('w', [32, 64], new Float32Array(32 * 64)));
      b.node('FusedGemm', ['x', 'w'], ['g'], { transB: 1, activation: 'Relu' }, 'fused');
      b.initializer(int8Tensor('wq', [32, 16], new Int8Array(32 * 16)));
      b.initializer(floatTensor('ws', [], [0.1]));
      b.node('DynamicQuantizeMatMul', ['g', 'wq', 'ws'], ['d'], {}, 'dqmm');
      b.input('q', ['N', 16], DataType.UINT8);
      b.initializer(floatTensor('qs', [], [0.1]));
      b.initializer(uint8Tensor('qz', [], new Uint8Array([128])));
      b.initializer(int8Tensor('wq2', [8, 16], new Int8Array(8 * 16)));
      b.initializer(int8Tensor('wz2', [], new Int8Array([0])));
      b.node('QGemm', ['q', 'qs', 'qz', 'wq2', 'ws', 'wz2'], ['f'], { transB: 1 }, 'qgemm_float');
      b.node('QGemm', ['q', 'qs', 'qz', 'wq2', 'ws', 'wz2', '', 'qs', 'qz'], ['u'], { transB: 1 }, 'qgemm_u8');
      b.output('d', ['N', 16]);
      b.output('f', ['N', 8]);
      b.output('u', ['N', 8], DataType.UINT8);
    }, { fused: MS, dqmm: MS, qgemm_float: MS, qgemm_u8: MS });
    const r = inferShapes(model, { batch: 4, registry: executedGraphShapeRegistry }).main;
    expect(r.get('g')?.shape).toEqual([4, 32]);
    expect(r.get('d')).toEqual({ elemType: DataType.FLOAT, shape: [4, 16] });
    expect(r.get('f')).toEqual({ elemType: DataType.FLOAT, shape: [4, 8] });
    expect(r.get('u')).toEqual({ elemType: DataType.UINT8, shape: [4, 8] });
  });

  it('the default registry does not know them: a user model may not contain onnxruntime-internal kernels', () => {
    expect(shapeRegistry.get('ReorderInput', NCHWC)).toBeUndefined();
    expect(shapeRegistry.get('QGemm', MS)).toBeUndefined();
    expect(executedGraphShapeRegistry.get('ReorderInput', NCHWC)).toBeDefined();
  });
});
