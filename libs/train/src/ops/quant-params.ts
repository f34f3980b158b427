import * as tf from '@tensorflow/tfjs';
import { DataType, attrInt, dataTypeName, tensorToFloat32, type onnx } from '@edgefit/onnx';
import { nhwcAxis } from '../executor/layout.js';
import type { Value } from '../executor/value.js';
import type { CompileContext } from './op-types.js';
import { normAxis, staticFloats, staticTensor, unsupported } from './static-inputs.js';

/** Saturation range of each integer type Q/DQ may carry. */
const RANGES: Record<number, [number, number]> = {
  [DataType.INT8]: [-128, 127],
  [DataType.UINT8]: [0, 255],
  [DataType.INT16]: [-32768, 32767],
  [DataType.UINT16]: [0, 65535],
  [DataType.INT4]: [-8, 7],
  [DataType.UINT4]: [0, 15],
  [DataType.INT32]: [-2147483648, 2147483647],
};

export interface QuantParams {
  scale: Float32Array;
  zeroPoint: Float32Array;
  /** null: per-tensor; else the ONNX axis the parameters run along. */
  axis: number | null;
  /** Saturation bounds of the quantized type. */
  qmin: number;
  qmax: number;
}

/**
 * Scale, zero point and axis of a QuantizeLinear/DequantizeLinear node. Both
 * must be static. A scale of one element is per-tensor (as onnxruntime
 * treats a 1-element vector); otherwise per-axis along `axis` (default 1).
 * The quantized type is the zero point's (else output_dtype, else uint8).
 */
export function parseQuantParams(node: onnx.INodeProto, ctx: CompileContext): QuantParams {
  if (attrInt(node, 'block_size', 0) !== 0) throw unsupported(node, ctx, 'blocked quantization (block_size) is not supported');
  const scale = staticFloats(node, 1, ctx, 'scale');
  if (!scale) throw unsupported(node, ctx, 'the scale input is missing');
  const zpTensor = staticTensor(node, 2, ctx, 'zero point');
  // Without a zero point the type comes from output_dtype (opset 21) or defaults to uint8.
  const qtype = zpTensor?.dataType ?? (attrInt(node, 'output_dtype', 0) || DataType.UINT8);
  const range = RANGES[qtype];
  if (!range) throw unsupported(node, ctx, `quantized type ${dataTypeName(qtype)} is not supported (int8, uint8, int16, uint16, int4, uint4, int32)`);
  const zeroPoint = zpTensor ? tensorToFloat32(zpTensor, ctx.where) : new Float32Array(scale.values.length);
  if (zeroPoint.length !== scale.values.length) throw unsupported(node, ctx, `zero point has ${zeroPoint.length} values but scale has ${scale.values.length}`);
  const perTensor = scale.values.length === 1;
  return { scale: scale.values, zeroPoint, axis: perTensor ? null : attrInt(node, 'axis', 1), qmin: range[0], qmax: range[1] };
}

/** Scale and zero point as tensors that broadcast against `x` in its layout. */
export function quantTensors(p: QuantParams, x: Value): { scale: tf.Tensor; zeroPoint: tf.Tensor } {
  if (p.axis === null) return { scale: tf.scalar(p.scale[0]!), zeroPoint: tf.scalar(p.zeroPoint[0]!) };
  const rank = x.tensor.rank;
  let axis = normAxis(p.axis, rank);
  if (x.nhwc) axis = nhwcAxis(axis);
  const shape = Array<number>(rank).fill(1);
  shape[axis] = p.scale.length;
  return { scale: tf.tensor(p.scale, shape), zeroPoint: tf.tensor(p.zeroPoint, shape) };
}
