import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '@edgefit/core';
import { readLabeledPool } from './array-dataset.js';
import { encodeNpy } from './array-writers.js';
import { loadDataset } from './dataset-registry.js';
import type { NdArray } from './ndarray.js';
import { parseNpy } from './npy-reader.js';
import { syntheticImages, tempDir } from './test-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A .npy file with a hand-written header dict (format 1.0). */
function npyWithHeader(dict: string, body: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const header = new TextEncoder().encode(`${dict}\n`);
  const lenBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, 8 + lenBytes);
  out.set(body, 8 + lenBytes + header.length);
  return out;
}

describe('NPY reader', () => {
  it('round-trips every supported dtype', () => {
    const cases = [
      { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0, 0.5, 1, 0.25, 0.75, 1]) },
      { dtype: 'float64', shape: [3], data: Float64Array.from([1e-9, 2, 3]) },
      { dtype: 'uint8', shape: [2, 2], data: Uint8Array.from([0, 1, 254, 255]) },
      { dtype: 'int32', shape: [2], data: Int32Array.from([-5, 7]) },
      { dtype: 'int64', shape: [2], data: BigInt64Array.from([-5n, 7n]) },
    ] satisfies NdArray[];
    for (const c of cases) expect(parseNpy(encodeNpy(c))).toEqual(c);
  });

  it('reads format 2.0 headers and 1-d shapes', () => {
    const body = new Uint8Array(Float32Array.from([1, 2]).buffer);
    const arr = parseNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", body, 2));
    expect(arr).toEqual({ dtype: 'float32', shape: [2], data: Float32Array.from([1, 2]) });
  });

  it('refuses fortran order, pickles, big-endian, unknown dtypes and bad headers', () => {
    const refuse = (dict: string, pattern: RegExp, body?: Uint8Array) => expect(() => parseNpy(npyWithHeader(dict, body), 'x.npy')).toThrow(pattern);
    refuse("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", /Fortran-order/, new Uint8Array(4));
    refuse("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", /pickled/);
    refuse("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", /big-endian/);
    refuse("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", /dtype '<c8' is not supported/);
    refuse("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", /structured/);
    refuse("{'descr': '<f4', 'shape': (1,), }", /no 'fortran_order'/);
    refuse("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", /bad shape entry 'x'/);
    refuse("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", /x\.npy: .*truncated: .* needs 12 data bytes, found 4/, new Uint8Array(4));
    expect(() => parseNpy(new TextEncoder().encode('PK\x03\x04 zip archive'), 'x.npy')).toThrow(/bad magic/);
    const good = encodeNpy({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) });
    expect(() => parseNpy(good.subarray(0, 40), 'x.npy')).toThrow(/truncated header/);
    expect(() => parseNpy(Uint8Array.from([...good, 9]), 'x.npy')).toThrow(/1 unexpected bytes/);
    expect(() => parseNpy(good.subarray(0, 9))).toThrow(DatasetError);
  });
});

describe('NPY user dataset', () => {
  const { pixels, labels } = syntheticImages(50, 8, 5);
  const x = tmp.write('x.npy', encodeNpy({ dtype: 'uint8', shape: [50, 8, 8], data: pixels }));
  const y = tmp.write('y.npy', encodeNpy({ dtype: 'int64', shape: [50], data: BigInt64Array.from(labels, BigInt) }));

  it('loads uint8 images scaled to [0,1] with an 80/10/10 split', () => {
    const ds = loadDataset(`npy:${x},${y}`);
    expect(ds.inputShape).toEqual([1, 8, 8]);
    expect(ds.numClasses).toBe(5);
    expect([ds.splits.train.count, ds.splits.validation.count, ds.splits.test.count]).toEqual([40, 5, 5]);
    expect(ds.splits.test.x.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('transposes channel-last images to NCHW', () => {
    const data = Float32Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => (i % 3) / 2); // channel k holds k/2
    const xs = tmp.write('nhwc.npy', encodeNpy({ dtype: 'float32', shape: [2, 6, 6, 3], data }));
    const ys = tmp.write('nhwc-y.npy', encodeNpy({ dtype: 'int32', shape: [2], data: Int32Array.from([0, 1]) }));
    const { pool, inputShape } = readLabeledPool('npy', xs, ys);
    expect(inputShape).toEqual([3, 6, 6]);
    const t = pool.x;
    expect([t[0], t[36], t[72], t[107]]).toEqual([0, 0.5, 1, 1]);
  });

  it('refuses float images outside [0,1] and non-integer labels', () => {
    const big = tmp.write('big.npy', encodeNpy({ dtype: 'float32', shape: [50, 64], data: Float32Array.from(pixels) }));
    expect(() => loadDataset(`npy:${big},${y}`)).toThrow(/big\.npy: float images must lie in \[0, 1\] \(found 0\.\.255\)/);
    const frac = tmp.write('frac.npy', encodeNpy({ dtype: 'float64', shape: [50], data: Float64Array.from(labels, (v) => v + 0.5) }));
    expect(() => loadDataset(`npy:${x},${frac}`)).toThrow(/frac\.npy: label 0\.5 at index 0 is out of range/);
  });
});
