import * as tf from '@tensorflow/tfjs';
import { DataType, getAttr, onnx, tensorDims, tensorToFloat32 } from '@edgefit/onnx';
import { onnxValue } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { unsupported } from './static-inputs.js';

/** The tensor a Constant node holds, from whichever value attribute it uses. */
function constantTensor(node: onnx.INodeProto): onnx.ITensorProto | undefined {
  const name = node.output?.[0] ?? '';
  const value = getAttr(node, 'value');
  if (value && typeof value === 'object' && !Array.isArray(value) && !('node' in value)) return { ...value, name };
  const make = (dims: number[], dataType: number, values: number[]) =>
    dataType === DataType.FLOAT
      ? onnx.TensorProto.create({ name, dims, dataType, floatData: values })
      : onnx.TensorProto.create({ name, dims, dataType, int64Data: values });
  const f = getAttr(node, 'value_float');
  if (typeof f === 'number') return make([], DataType.FLOAT, [f]);
  const fs = getAttr(node, 'value_floats');
  if (Array.isArray(fs) && node.attribute?.some((a) => a.name === 'value_floats')) return make([fs.length], DataType.FLOAT, fs as number[]);
  const i = getAttr(node, 'value_int');
  if (typeof i === 'number') return make([], DataType.INT64, [i]);
  const is = getAttr(node, 'value_ints');
  if (Array.isArray(is) && node.attribute?.some((a) => a.name === 'value_ints')) return make([is.length], DataType.INT64, is as number[]);
  return undefined;
}

/** Constant: folded when the executor is created, so its value is static for the ops that read it. */
export const constantOp: OpDefinition = {
  opType: 'Constant',
  fold(node, ctx) {
    const t = constantTensor(node);
    if (!t) throw unsupported(node, ctx, 'no numeric value attribute (value, value_float(s), value_int(s))');
    return t;
  },
  compile(node, ctx) {
    const t = this.fold!(node, ctx)!;
    const values = tensorToFloat32(t, ctx.where);
    const dims = tensorDims(t);
    return () => [onnxValue(tf.tensor(values, dims))];
  },
};
