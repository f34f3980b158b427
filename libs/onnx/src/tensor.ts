import { InvalidModelError } from '@edgefit/core';
import { DataType, bitsPerElement, dataTypeName, int64, onnx } from './proto.js';

export type TypedData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => int64(d as number));
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** True when the tensor's data lives in a file outside the model. */
export function isExternal(t: onnx.ITensorProto): boolean {
  return t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0;
}

/** Refuse external data: edgefit never opens a file the model points at. */
export function assertNotExternal(t: onnx.ITensorProto, where: string): void {
  if (!isExternal(t)) return;
  const loc = t.externalData?.find((e) => e.key === 'location')?.value ?? '?';
  throw new InvalidModelError(
    `tensor '${t.name ?? ''}' ${where} stores its data in an external file ('${loc}'); external data is not supported: save the model with all tensors inside it`,
  );
}

/** Bytes the tensor's payload occupies at its stored precision. */
export function tensorByteSize(t: onnx.ITensorProto): number {
  return Math.ceil((elementCount(tensorDims(t)) * bitsPerElement(t.dataType ?? 0)) / 8);
}

function rawView(t: onnx.ITensorProto): Uint8Array | null {
  const raw = t.rawData;
  return raw && raw.byteLength > 0 ? raw : null;
}

function copyAligned(raw: Uint8Array): ArrayBuffer {
  // raw bytes inside a protobuf buffer are rarely aligned for typed views: copy.
  // Not raw.slice(): when the model was read from a file, raw is a Node Buffer,
  // whose slice() is a view sharing the whole file's ArrayBuffer.
  return new Uint8Array(raw).buffer;
}

/**
 * The tensor's values as a typed array of its own type (INT4/UINT4 unpacked to
 * Int8/Uint8, FLOAT16 widened to Float32). Throws for external or string data.
 */
export function tensorData(t: onnx.ITensorProto, where = ''): TypedData {
  assertNotExternal(t, where);
  const n = elementCount(tensorDims(t));
  const raw = rawView(t);
  const dt = t.dataType ?? 0;
  const check = <T extends TypedData>(arr: T): T => {
    if (arr.length !== n) {
      throw new InvalidModelError(`tensor '${t.name ?? ''}' ${where}: holds ${arr.length} values but its shape [${tensorDims(t)}] needs ${n}`);
    }
    return arr;
  };
  switch (dt) {
    case DataType.FLOAT:
      return check(raw ? new Float32Array(copyAligned(raw)) : Float32Array.from(t.floatData ?? []));
    case DataType.DOUBLE:
      return check(raw ? new Float64Array(copyAligned(raw)) : Float64Array.from(t.doubleData ?? []));
    case DataType.INT32:
      return check(raw ? new Int32Array(copyAligned(raw)) : Int32Array.from(t.int32Data ?? []));
    case DataType.INT64:
      return check(raw ? new BigInt64Array(copyAligned(raw)) : BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(int64(v as number)))));
    case DataType.UINT64:
      return check(raw ? new BigUint64Array(copyAligned(raw)) : BigUint64Array.from((t.uint64Data ?? []).map((v) => BigInt(int64(v as number)))));
    case DataType.UINT32:
      return check(raw ? new Uint32Array(copyAligned(raw)) : Uint32Array.from((t.uint64Data ?? []).map((v) => int64(v as number))));
    case DataType.INT8:
      return check(raw ? new Int8Array(copyAligned(raw)) : Int8Array.from(t.int32Data ?? []));
    case DataType.UINT8:
    case DataType.BOOL:
      return check(raw ? new Uint8Array(copyAligned(raw)) : Uint8Array.from(t.int32Data ?? []));
    case DataType.INT16:
      return check(raw ? new Int16Array(copyAligned(raw)) : Int16Array.from(t.int32Data ?? []));
    case DataType.UINT16:
      return check(raw ? new Uint16Array(copyAligned(raw)) : Uint16Array.from(t.int32Data ?? []));
    case DataType.FLOAT16: {
      const bits = raw ? new Uint16Array(copyAligned(raw)) : Uint16Array.from(t.int32Data ?? []);
      return check(Float32Array.from(bits, halfToFloat));
    }
    case DataType.INT4:
    case DataType.UINT4: {
      const packed = raw ?? Uint8Array.from(t.int32Data ?? []);
      const out = dt === DataType.INT4 ? new Int8Array(n) : new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const nibble = (packed[i >> 1]! >> ((i & 1) * 4)) & 0xf;
        out[i] = dt === DataType.INT4 && nibble > 7 ? nibble - 16 : nibble;
      }
      return out;
    }
    default:
      throw new InvalidModelError(`tensor '${t.name ?? ''}' ${where}: data type ${dataTypeName(dt)} cannot be read as numbers`);
  }
}

/** Values widened to Float32Array (int64 through Number). */
export function tensorToFloat32(t: onnx.ITensorProto, where = ''): Float32Array {
  const data = tensorData(t, where);
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, (v) => Number(v));
  return Float32Array.from(data as ArrayLike<number>);
}

/** Values as plain numbers (int64 shapes, axes, …). */
export function tensorToNumbers(t: onnx.ITensorProto, where = ''): number[] {
  const data = tensorData(t, where);
  return Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** A FLOAT tensor with raw little-endian data. */
export function floatTensor(name: string, dims: readonly number[], data: Float32Array | readonly number[]): onnx.TensorProto {
  const arr = data instanceof Float32Array ? data : Float32Array.from(data);
  if (arr.length !== elementCount(dims)) throw new Error(`floatTensor ${name}: ${arr.length} values for shape [${dims}]`);
  return onnx.TensorProto.create({
    name,
    dims: [...dims],
    dataType: DataType.FLOAT,
    rawData: new Uint8Array(arr.buffer.slice(arr.byteOffset, arr.byteOffset + arr.byteLength)),
  });
}

/** A tensor of any integer type from raw bytes already in ONNX layout. */
export function rawTensor(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: raw });
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): onnx.TensorProto {
  const arr = BigInt64Array.from(values.map((v) => BigInt(v)));
  return rawTensor(name, dims, DataType.INT64, new Uint8Array(arr.buffer));
}

export function int8Tensor(name: string, dims: readonly number[], values: Int8Array): onnx.TensorProto {
  return rawTensor(name, dims, DataType.INT8, new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array): onnx.TensorProto {
  return rawTensor(name, dims, DataType.UINT8, values.slice());
}
