import { DatasetError } from '@edgefit/core';
import { readDataFile } from './data-file.js';
import { shapeSize, type NdArray } from './ndarray.js';

type IdxType = { dtype: NdArray['dtype']; bytes: number; read: (v: DataView, at: number) => number };

/** IDX element types by their code in the magic number (all big-endian). */
const IDX_TYPES: Record<number, IdxType> = {
  0x08: { dtype: 'uint8', bytes: 1, read: (v, at) => v.getUint8(at) },
  0x09: { dtype: 'int8', bytes: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { dtype: 'int16', bytes: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { dtype: 'int32', bytes: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { dtype: 'float32', bytes: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { dtype: 'float64', bytes: 8, read: (v, at) => v.getFloat64(at, false) },
};

const ARRAYS = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array } as const;

/**
 * Parse IDX bytes (the MNIST file format): two zero bytes, a type code, the
 * number of dimensions, each dimension as a big-endian uint32, then the data.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): NdArray {
  const fail = (why: string): never => {
    throw new DatasetError(`${source}: not a valid IDX file (${why})`);
  };
  if (bytes.length < 4) fail(`${bytes.length} bytes, too short for the header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail('bad magic number: the first two bytes must be zero');
  const type = IDX_TYPES[bytes[2]!] ?? fail(`unknown element type code 0x${bytes[2]!.toString(16)}`);
  const rank = bytes[3]!;
  if (rank < 1 || rank > 8) fail(`${rank} dimensions; 1 to 8 supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) fail(`truncated header: ${rank} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const dataBytes = shapeSize(shape) * type.bytes;
  const found = bytes.length - headerBytes;
  if (found < dataBytes) fail(`truncated: shape [${shape.join(', ')}] needs ${dataBytes} data bytes, found ${found}`);
  if (found > dataBytes) fail(`${found - dataBytes} unexpected bytes after the data of shape [${shape.join(', ')}]`);
  const n = shapeSize(shape);
  const data = new ARRAYS[type.dtype as keyof typeof ARRAYS](n);
  if (type.bytes === 1) {
    data.set(type.dtype === 'uint8' ? bytes.subarray(headerBytes) : new Int8Array(bytes.buffer, bytes.byteOffset + headerBytes, n));
  } else {
    for (let i = 0; i < n; i++) data[i] = type.read(view, headerBytes + i * type.bytes);
  }
  return { dtype: type.dtype, shape, data };
}

/** Read an IDX file (plain or gzip). */
export function readIdx(path: string): NdArray {
  return parseIdx(readDataFile(path), path);
}
