import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, LimitExceededError } from '@edgefit/core';
import { encodeIdx } from './array-writers.js';
import { readDataFile } from './data-file.js';
import { loadDataset } from './dataset-registry.js';
import { labelHistogram, splitHash } from './dataset.js';
import { parseIdx, readIdx } from './idx-reader.js';
import { syntheticImages, tempDir } from './test-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const { pixels, labels } = syntheticImages(100, 6, 4);
const imagesPath = tmp.write('images.idx', encodeIdx({ dtype: 'uint8', shape: [100, 6, 6], data: pixels }));
const labelsPath = tmp.write('labels.idx.gz', gzipSync(encodeIdx({ dtype: 'uint8', shape: [100], data: labels })));

describe('IDX reader', () => {
  it('reads uint8 images and gzipped labels written by hand', () => {
    const header = Uint8Array.from([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
    expect(parseIdx(header)).toEqual({ dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 255]) });
    const img = readIdx(imagesPath);
    expect(img.shape).toEqual([100, 6, 6]);
    expect(img.data).toEqual(pixels);
    expect(readIdx(labelsPath).data).toEqual(labels);
  });

  it('reads big-endian int32, int16 and float32', () => {
    for (const [dtype, data] of [['int32', Int32Array.from([-7, 1 << 20])], ['int16', Int16Array.from([-300, 2])], ['float32', Float32Array.from([0.5, -1.25])]] as const) {
      expect(parseIdx(encodeIdx({ dtype, shape: [2], data })).data).toEqual(data);
    }
  });

  it('refuses truncated, oversized and garbage files naming the problem', () => {
    const good = encodeIdx({ dtype: 'uint8', shape: [2, 3], data: new Uint8Array(6) });
    expect(() => parseIdx(good.subarray(0, 15), 'x.idx')).toThrow(/x\.idx: .*truncated: shape \[2, 3\] needs 6 data bytes, found 3/);
    expect(() => parseIdx(good.subarray(0, 6), 'x.idx')).toThrow(/truncated header/);
    expect(() => parseIdx(Uint8Array.from([...good, 0]), 'x.idx')).toThrow(/1 unexpected bytes/);
    expect(() => parseIdx(new TextEncoder().encode('hello world'), 'x.idx')).toThrow(/bad magic/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), 'x.idx')).toThrow(/unknown element type code 0x42/);
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'x.idx')).toThrow(DatasetError);
    const garbageGz = tmp.write('bad.gz', Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]));
    expect(() => readIdx(garbageGz)).toThrow(/bad\.gz: corrupt gzip data/);
    const truncatedGz = tmp.write('trunc.gz', gzipSync(good).subarray(0, 20));
    expect(() => readIdx(truncatedGz)).toThrow(DatasetError);
  });

  it('names missing files and enforces the file size limit', () => {
    expect(() => readIdx(`${tmp.dir}/nope.idx`)).toThrow(/nope\.idx: cannot read dataset file \(no such file\)/);
    expect(() => readDataFile(imagesPath, 100)).toThrow(LimitExceededError);
    expect(() => readDataFile(labelsPath, 50)).toThrow(/decompressed size exceeds/);
  });
});

describe('IDX user dataset', () => {
  it('splits 80/10/10 seeded and scales to [0,1]', () => {
    const ds = loadDataset(`idx:${imagesPath},${labelsPath}`);
    expect(ds.inputShape).toEqual([1, 6, 6]);
    expect(ds.numClasses).toBe(4);
    expect([ds.splits.train.count, ds.splits.validation.count, ds.splits.test.count]).toEqual([80, 10, 10]);
    expect(labelHistogram(ds.splits.train.y, 4)).toEqual([20, 20, 20, 20]);
    expect(Math.max(...ds.splits.train.x)).toBeLessThanOrEqual(1);
    expect(ds.splits.train.x.some((v) => v === 1)).toBe(true);
    const again = loadDataset(`idx:${imagesPath},${labelsPath}`);
    expect(splitHash(again.splits.test)).toBe(splitHash(ds.splits.test));
    expect(splitHash(loadDataset(`idx:${imagesPath},${labelsPath}`, { seed: 3 }).splits.test)).not.toBe(splitHash(ds.splits.test));
  });

  it('uses separate test files as the test split', () => {
    const ds = loadDataset(`idx:${imagesPath},${labelsPath},${imagesPath},${labelsPath}`);
    expect([ds.splits.train.count, ds.splits.validation.count, ds.splits.test.count]).toEqual([90, 10, 100]);
  });

  it('refuses mismatched counts and out-of-range labels', () => {
    const fewLabels = tmp.write('few.idx', encodeIdx({ dtype: 'uint8', shape: [99], data: labels.subarray(0, 99) }));
    expect(() => loadDataset(`idx:${imagesPath},${fewLabels}`)).toThrow(/images\.idx holds 100 images but .*few\.idx holds 99 labels/);
    const negative = tmp.write('neg.idx', encodeIdx({ dtype: 'int8', shape: [100], data: Int8Array.from(labels, (v, i) => (i === 3 ? -1 : v)) }));
    expect(() => loadDataset(`idx:${imagesPath},${negative}`)).toThrow(/neg\.idx: label -1 at index 3 is out of range/);
    const otherShape = tmp.write('other.idx', encodeIdx({ dtype: 'uint8', shape: [4, 5, 5], data: new Uint8Array(100) }));
    const fourLabels = tmp.write('four.idx', encodeIdx({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) }));
    expect(() => loadDataset(`idx:${imagesPath},${labelsPath},${otherShape},${fourLabels}`)).toThrow(/shape \[1,5,5\] but .* has \[1,6,6\]/);
  });
});

describe('dataset registry', () => {
  it('lists the known datasets for an unknown name', () => {
    expect(() => loadDataset('cifar')).toThrow(/unknown dataset 'cifar'; known: mnist, fashion-mnist, idx:/);
    expect(() => loadDataset('idx:only-one')).toThrow(DatasetError);
    expect(() => loadDataset('mnist', { seed: 1.5 })).toThrow(/seed must be an integer/);
  });
});
