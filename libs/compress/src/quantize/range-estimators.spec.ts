import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { INT_RANGES, dequantizeValue, quantizeValue, scaleZeroPoint } from './numerics.js';
import { estimateRange, percentileRange, type TensorStats } from './range-estimators.js';

/** ReLU-like activations with a few large outliers. */
function heavyTailed(n: number): TensorStats {
  const rng = new SeededRng(9);
  const sample = Float32Array.from({ length: n }, (_, i) => (i % 4999 === 0 ? 40 + rng.next() * 10 : Math.max(0, rng.normal())));
  return { min: sample.reduce((a, b) => Math.min(a, b)), max: sample.reduce((a, b) => Math.max(a, b)), sample };
}

function quantError(values: Float32Array, [lo, hi]: [number, number]): number {
  const { scale, zeroPoint } = scaleZeroPoint(lo, hi, INT_RANGES.int8, false);
  return values.reduce((a, v) => a + (v - dequantizeValue(quantizeValue(v, scale, zeroPoint, INT_RANGES.int8), scale, zeroPoint)) ** 2, 0) / values.length;
}

describe('activation range estimators', () => {
  const stats = heavyTailed(50_000);
  const opts = { percentile: 99.9, grid: INT_RANGES.int8, symmetric: false };

  it('min–max keeps the exact range (widened to contain 0)', () => {
    expect(estimateRange({ min: 0.5, max: 3, sample: new Float32Array() }, { ...opts, estimator: 'minmax' })).toEqual([0, 3]);
    expect(estimateRange(stats, { ...opts, estimator: 'minmax' })[1]).toBe(stats.max);
  });

  it('percentile drops the outliers', () => {
    const [, hi] = estimateRange(stats, { ...opts, estimator: 'percentile' });
    expect(hi).toBeLessThan(10);
    expect(hi).toBeGreaterThan(2);
    expect(percentileRange(Float32Array.of(-4, -1, 0, 1, 2), 100, true)).toEqual([-4, 4]);
  });

  it('MSE-optimal clipping has a lower quantization error than min–max', () => {
    const mse = estimateRange(stats, { ...opts, estimator: 'mse' });
    const minmax = estimateRange(stats, { ...opts, estimator: 'minmax' });
    expect(mse[1]).toBeLessThan(minmax[1]);
    expect(quantError(stats.sample, mse)).toBeLessThan(quantError(stats.sample, minmax));
  });
});
