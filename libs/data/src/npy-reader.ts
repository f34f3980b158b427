import { DatasetError } from '@edgefit/core';
import { readDataFile } from './data-file.js';
import { shapeSize, type NdArray } from './ndarray.js';

/** The NumPy dtypes edgefit reads: little-endian (or byte-sized) numbers. */
const NPY_TYPES: Record<string, { dtype: NdArray['dtype']; bytes: number; make: (b: ArrayBuffer) => NdArray['data'] }> = {
  '<f4': { dtype: 'float32', bytes: 4, make: (b) => new Float32Array(b) },
  '<f8': { dtype: 'float64', bytes: 8, make: (b) => new Float64Array(b) },
  '|u1': { dtype: 'uint8', bytes: 1, make: (b) => new Uint8Array(b) },
  '<i4': { dtype: 'int32', bytes: 4, make: (b) => new Int32Array(b) },
  '<i8': { dtype: 'int64', bytes: 8, make: (b) => new BigInt64Array(b) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parse the `{'descr': …, 'fortran_order': …, 'shape': (…), }` header dict. */
function parseHeader(header: string, fail: (why: string) => never): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) {
    if (/'descr'\s*:\s*\[/.test(header)) fail('structured (record) dtypes are not supported; save a plain numeric array');
    fail(`header has no 'descr': ${header.trim()}`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1] ?? fail("header has no 'fortran_order'");
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? fail("header has no 'shape'");
  const parts = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : fail(`bad shape entry '${s}'`)));
  return { descr, fortran: fortran === 'True', shape };
}

/**
 * Parse NumPy .npy bytes (format versions 1–3). Refuses Fortran order,
 * object arrays (pickles), big-endian and other unsupported dtypes.
 */
export function parseNpy(bytes: Uint8Array, source = 'NPY data'): NdArray {
  const fail = (why: string): never => {
    throw new DatasetError(`${source}: cannot read .npy file (${why})`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('bad magic: not a NumPy .npy file');
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(`unsupported format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('truncated header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (bytes.length < dataStart) fail(`truncated header: ${headerLen} header bytes announced, ${bytes.length - 8 - lenBytes} present`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, dataStart));
  const { descr, fortran, shape } = parseHeader(header, fail);
  if (descr.includes('O')) fail('object arrays (pickled Python objects) are refused');
  if (descr.startsWith('>')) fail(`big-endian dtype '${descr}' is not supported; save with a little-endian dtype (e.g. '<f4')`);
  const type = NPY_TYPES[descr] ?? fail(`dtype '${descr}' is not supported; use one of ${Object.keys(NPY_TYPES).join(', ')}`);
  if (fortran) fail('Fortran-order arrays are not supported; save a C-order array (np.ascontiguousarray)');
  const n = shapeSize(shape);
  const dataBytes = n * type.bytes;
  const found = bytes.length - dataStart;
  if (found < dataBytes) fail(`truncated: shape (${shape.join(', ')}) of '${descr}' needs ${dataBytes} data bytes, found ${found}`);
  if (found > dataBytes) fail(`${found - dataBytes} unexpected bytes after the data`);
  const copy = new Uint8Array(bytes.subarray(dataStart, dataStart + dataBytes)).buffer; // aligned copy (Buffer.slice would share memory)
  return { dtype: type.dtype, shape, data: type.make(copy) };
}

/** Read a .npy file (plain or gzip). */
export function readNpy(path: string): NdArray {
  return parseNpy(readDataFile(path), path);
}
