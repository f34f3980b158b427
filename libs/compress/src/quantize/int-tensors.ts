import { DataType, rawTensor, type onnx } from '@edgefit/onnx';

/** The ONNX integer type a grid is stored in. */
export function storageType(bits: number, signed = true): number {
  if (bits <= 4) return signed ? DataType.INT4 : DataType.UINT4;
  if (bits <= 8) return signed ? DataType.INT8 : DataType.UINT8;
  if (bits <= 16) return signed ? DataType.INT16 : DataType.UINT16;
  return DataType.INT32;
}

/** Two 4-bit values per byte, the first in the low nibble (ONNX INT4/UINT4 and MatMulNBits). */
export function packNibbles(values: ArrayLike<number>, out = new Uint8Array(Math.ceil(values.length / 2)), offset = 0): Uint8Array {
  for (let i = 0; i < values.length; i++) out[offset + (i >> 1)]! |= (values[i]! & 0xf) << ((i & 1) * 4);
  return out;
}

/** An integer tensor of the given ONNX type from integer values (range-checked by the caller). */
export function intTensor(name: string, dims: readonly number[], values: ArrayLike<number>, dataType: number): onnx.TensorProto {
  switch (dataType) {
    case DataType.INT4:
    case DataType.UINT4:
      return rawTensor(name, dims, dataType, packNibbles(values));
    case DataType.INT8:
      return rawTensor(name, dims, dataType, new Uint8Array(Int8Array.from(values).buffer));
    case DataType.UINT8:
      return rawTensor(name, dims, dataType, Uint8Array.from(values));
    case DataType.INT16:
      return rawTensor(name, dims, dataType, new Uint8Array(Int16Array.from(values).buffer));
    case DataType.UINT16:
      return rawTensor(name, dims, dataType, new Uint8Array(Uint16Array.from(values).buffer));
    case DataType.INT32:
      return rawTensor(name, dims, dataType, new Uint8Array(Int32Array.from(values).buffer));
    default:
      throw new RangeError(`intTensor: unsupported data type ${dataType}`);
  }
}
