import { createRequire } from 'node:module';
import type * as OnnxProtoModule from 'onnx-proto';

// onnx-proto is a CommonJS bundle whose `module.exports` is a protobufjs root;
// Node's ESM loader cannot see its named export, so load it through require.
const require = createRequire(import.meta.url);
const protoModule = require('onnx-proto') as typeof OnnxProtoModule;

/** The generated protobufjs classes of the ONNX schema (onnx 1.10.2). */
export const onnx = protoModule.onnx;
export type onnx = typeof OnnxProtoModule.onnx;
export namespace onnx {
  export type ModelProto = OnnxProtoModule.onnx.ModelProto;
  export type IModelProto = OnnxProtoModule.onnx.IModelProto;
  export type GraphProto = OnnxProtoModule.onnx.GraphProto;
  export type IGraphProto = OnnxProtoModule.onnx.IGraphProto;
  export type NodeProto = OnnxProtoModule.onnx.NodeProto;
  export type INodeProto = OnnxProtoModule.onnx.INodeProto;
  export type TensorProto = OnnxProtoModule.onnx.TensorProto;
  export type ITensorProto = OnnxProtoModule.onnx.ITensorProto;
  export type AttributeProto = OnnxProtoModule.onnx.AttributeProto;
  export type IAttributeProto = OnnxProtoModule.onnx.IAttributeProto;
  export type ValueInfoProto = OnnxProtoModule.onnx.ValueInfoProto;
  export type IValueInfoProto = OnnxProtoModule.onnx.IValueInfoProto;
  export type ITypeProto = OnnxProtoModule.onnx.ITypeProto;
}

/** protobufjs returns int64 fields as Long objects (or numbers); normalize. */
export function int64(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** ONNX TensorProto.DataType numbers, including types newer than onnx-proto's schema. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
  UINT4: 21,
  INT4: 22,
} as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** Storage bits per element of a data type (4 for INT4/UINT4). */
export function bitsPerElement(dataType: number): number {
  switch (dataType) {
    case DataType.FLOAT: case DataType.INT32: case DataType.UINT32: return 32;
    case DataType.UINT8: case DataType.INT8: case DataType.BOOL: return 8;
    case DataType.UINT16: case DataType.INT16: case DataType.FLOAT16: case DataType.BFLOAT16: return 16;
    case DataType.INT64: case DataType.UINT64: case DataType.DOUBLE: return 64;
    case DataType.UINT4: case DataType.INT4: return 4;
    default: return 0;
  }
}

export function dataTypeName(dataType: number): string {
  const entry = Object.entries(DataType).find(([, v]) => v === dataType);
  return entry ? entry[0] : `type#${dataType}`;
}
