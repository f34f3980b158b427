import { DataType, ModelBuilder, floatTensor, int8Tensor, rawTensor, uint8Tensor, type onnx } from '@edgefit/onnx';

/** Operator forms of quantized layers, one small model each (test-only). */

/** uint8 [1,1,8,8] → QLinearConv (4 int8 filters 3×3) → uint8 [1,4,6,6]. */
export function qlinearConvModel(): onnx.ModelProto {
  const b = new ModelBuilder('qlinear-conv');
  const x = b.input('x', [1, 1, 8, 8], DataType.UINT8);
  b.initializer(floatTensor('xs', [], [0.02]));
  b.initializer(uint8Tensor('xz', [], new Uint8Array([128])));
  b.initializer(int8Tensor('w', [4, 1, 3, 3], Int8Array.from({ length: 36 }, (_, i) => (i % 7) - 3)));
  b.initializer(floatTensor('ws', [], [0.01]));
  b.initializer(int8Tensor('wz', [], new Int8Array([0])));
  b.initializer(floatTensor('ys', [], [0.05]));
  b.initializer(uint8Tensor('yz', [], new Uint8Array([128])));
  b.node('QLinearConv', [x, 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], ['y'], { kernel_shape: [3, 3] }, 'qconv');
  b.output('y', [1, 4, 6, 6], DataType.UINT8);
  return b.build();
}

/** float [1,K] × DequantizeLinear(int4 [K,N]) → float [1,N]: weight-only quantization. */
export function weightOnlyInt4Model(k = 64, n = 32): onnx.ModelProto {
  const b = new ModelBuilder('weight-only-int4');
  const x = b.input('x', [1, k]);
  const packed = new Uint8Array(Math.ceil((k * n) / 2)).fill(0x21);
  b.initializer(rawTensor('wq', [k, n], DataType.INT4, packed));
  b.initializer(floatTensor('ws', [], [0.1]));
  b.node('DequantizeLinear', ['wq', 'ws'], ['w']);
  b.node('MatMul', [x, 'w'], ['y'], {}, 'mm');
  b.output('y', [1, n]);
  return b.build();
}

/** onnxruntime's MatMulNBits (com.microsoft): 4-bit blocks of 32 along K. */
export function matMulNBitsModel(k = 64, n = 32): onnx.ModelProto {
  const b = new ModelBuilder('matmul-nbits');
  const x = b.input('x', [1, k]);
  const blocks = Math.ceil(k / 32);
  b.initializer(uint8Tensor('b', [n, blocks, 16], new Uint8Array(n * blocks * 16).fill(0x88)));
  b.initializer(floatTensor('scales', [n * blocks], new Float32Array(n * blocks).fill(0.1)));
  b.node('MatMulNBits', [x, 'b', 'scales'], ['y'], { K: k, N: n, bits: 4, block_size: 32 }, 'mmnb');
  b.output('y', [1, n]);
  const model = b.build();
  model.graph!.node![0]!.domain = 'com.microsoft';
  model.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
  return model;
}
