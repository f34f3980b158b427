import { describe, expect, it } from 'vitest';
import { sha256 } from '@edgefit/core';
import { labelHistogram, splitHash, subset, takeBatch, type DataSplit } from './dataset.js';
import { loadMnist } from './mnist-dataset.js';
import { loadDataset } from './dataset-registry.js';
import { stratifiedPartition } from './split.js';

function sampleHashes(split: DataSplit): string[] {
  return Array.from({ length: split.count }, (_, i) => sha256(new Uint8Array(split.x.buffer, i * split.sampleSize * 4, split.sampleSize * 4)));
}

describe('mnist dataset', () => {
  const ds = loadMnist();

  it('splits the 10,000 digits 7000/1000/2000 with shape [1,28,28]', () => {
    expect(ds.inputShape).toEqual([1, 28, 28]);
    expect(ds.numClasses).toBe(10);
    expect([ds.splits.train.count, ds.splits.validation.count, ds.splits.test.count]).toEqual([7000, 1000, 2000]);
    expect(ds.splitInfo).toMatchObject({ seed: 42, train: 7000, validation: 1000, test: 2000 });
    for (const s of Object.values(ds.splits)) {
      expect(s.sampleSize).toBe(784);
      expect(s.x.length).toBe(s.count * 784);
      expect(s.y.length).toBe(s.count);
    }
  });

  it('has values in [0,1] with real ink, and sane label histograms', () => {
    for (const s of Object.values(ds.splits)) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of s.x) { if (v < min) min = v; if (v > max) max = v; }
      expect(min).toBe(0);
      expect(max).toBeGreaterThan(0.9);
      expect(max).toBeLessThanOrEqual(1);
      const hist = labelHistogram(s.y, 10);
      expect(hist.reduce((a, b) => a + b, 0)).toBe(s.count);
      // stratified: every class holds 8.6%–11.3% of the package, so of each split too (±1 sample)
      for (const h of hist) {
        expect(h / s.count).toBeGreaterThan(0.08);
        expect(h / s.count).toBeLessThan(0.12);
      }
    }
  });

  it('has disjoint splits', () => {
    const parts = stratifiedPartition(Int32Array.from({ length: 10000 }, (_, i) => i % 10), [7000, 1000, 2000], 42);
    expect(new Set(parts.flat()).size).toBe(10000);
    const seen = new Set(sampleHashes(ds.splits.train));
    const others = [...sampleHashes(ds.splits.validation), ...sampleHashes(ds.splits.test)];
    expect(others.filter((h) => seen.has(h))).toEqual([]);
    expect(new Set(others).size).toBe(3000);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = loadDataset('mnist');
    const other = loadDataset('mnist', { seed: 7 });
    for (const name of ['train', 'validation', 'test'] as const) {
      expect(splitHash(again.splits[name])).toBe(splitHash(ds.splits[name]));
      expect(splitHash(other.splits[name])).not.toBe(splitHash(ds.splits[name]));
    }
    expect(other.splitInfo.seed).toBe(7);
  });

  it('takes batches and seeded subsets', () => {
    const b = takeBatch(ds.splits.test, [5, 0]);
    expect(b.x.length).toBe(2 * 784);
    expect(Array.from(b.x.subarray(784))).toEqual(Array.from(ds.splits.test.x.subarray(0, 784)));
    expect(b.y[0]).toBe(ds.splits.test.y[5]);
    expect(() => takeBatch(ds.splits.test, [2000])).toThrow(RangeError);
    const a = subset(ds.splits.test, 100, 1);
    expect(a.count).toBe(100);
    expect(splitHash(a)).toBe(splitHash(subset(ds.splits.test, 100, 1)));
    expect(splitHash(a)).not.toBe(splitHash(subset(ds.splits.test, 100, 2)));
  });
});
