import type { NdArray } from './ndarray.js';

const IDX_CODES: Partial<Record<NdArray['dtype'], number>> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };
const NPY_DESCR: Partial<Record<NdArray['dtype'], string>> = { float32: '<f4', float64: '<f8', uint8: '|u1', int32: '<i4', int64: '<i8' };

/** Encode an array as IDX bytes (big-endian), the inverse of `parseIdx`. */
export function encodeIdx(arr: NdArray): Uint8Array {
  const code = IDX_CODES[arr.dtype];
  if (code === undefined) throw new RangeError(`IDX cannot store ${arr.dtype}`);
  const width = arr.data.BYTES_PER_ELEMENT;
  const header = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(header + arr.data.length * width);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = arr.shape.length;
  arr.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const data = arr.data as Exclude<NdArray['data'], BigInt64Array>;
  for (let i = 0; i < data.length; i++) {
    const at = header + i * width;
    const v = data[i]!;
    if (code === 0x08) view.setUint8(at, v);
    else if (code === 0x09) view.setInt8(at, v);
    else if (code === 0x0b) view.setInt16(at, v, false);
    else if (code === 0x0c) view.setInt32(at, v, false);
    else if (code === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

/** Encode an array as NumPy .npy (format 1.0, C order, little-endian), the inverse of `parseNpy`. */
export function encodeNpy(arr: NdArray): Uint8Array {
  const descr = NPY_DESCR[arr.dtype];
  if (descr === undefined) throw new RangeError(`.npy writer does not handle ${arr.dtype}`);
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'; // pad to a multiple of 64
  const body = new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}
