import { type IntRange, quantizeValue, dequantizeValue, scaleZeroPoint } from './numerics.js';

export type RangeEstimator = 'minmax' | 'percentile' | 'mse';
export const RANGE_ESTIMATORS: readonly RangeEstimator[] = ['minmax', 'percentile', 'mse'];

/** What calibration keeps of one tensor: its exact extremes and a bounded sample of its values. */
export interface TensorStats {
  min: number;
  max: number;
  /** A deterministic, evenly strided subset of the values seen. */
  sample: Float32Array;
}

export interface RangeOptions {
  estimator: RangeEstimator;
  /** Percentile kept by the 'percentile' estimator, e.g. 99.99. */
  percentile: number;
  grid: IntRange;
  symmetric: boolean;
}

/** Value at quantile `p` (0–1) of sorted values, linearly interpolated. */
function quantile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return 0;
  const pos = p * (sorted.length - 1);
  const i = Math.floor(pos);
  const j = Math.min(i + 1, sorted.length - 1);
  return sorted[i]! + (sorted[j]! - sorted[i]!) * (pos - i);
}

/**
 * Percentile clipping: drop the (100 − p)% most extreme values on each side
 * (of |x| when symmetric), so rare outliers do not stretch the scale.
 */
export function percentileRange(values: Float32Array, p: number, symmetric: boolean): [number, number] {
  const q = p / 100;
  if (symmetric) {
    const abs = Float32Array.from(values, Math.abs).sort();
    const m = quantile(abs, q);
    return [-m, m];
  }
  const sorted = Float32Array.from(values).sort();
  return [quantile(sorted, 1 - q), quantile(sorted, q)];
}

/** Squared error of quantizing then dequantizing `values` with the params of [lo, hi]. */
function clipError(values: ArrayLike<number>, lo: number, hi: number, grid: IntRange, symmetric: boolean): number {
  const { scale, zeroPoint } = scaleZeroPoint(lo, hi, grid, symmetric);
  let err = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    err += (v - dequantizeValue(quantizeValue(v, scale, zeroPoint, grid), scale, zeroPoint)) ** 2;
  }
  return err;
}

/** Candidate shrink factors of the min–max range, from 1 (no clipping) down to 5%. */
const MSE_STEPS = 80;

/**
 * MSE-optimal clipping: shrink [lo, hi] by a factor α ∈ (0, 1] and keep the α
 * whose quantize–dequantize error over the values is smallest (the classic
 * grid search; the trade-off is rounding error inside vs clipping error outside).
 */
export function mseRange(values: ArrayLike<number>, lo: number, hi: number, grid: IntRange, symmetric: boolean): [number, number] {
  let best: [number, number] = [lo, hi];
  let bestErr = clipError(values, lo, hi, grid, symmetric);
  for (let k = 1; k < MSE_STEPS; k++) {
    const a = 1 - (0.95 * k) / MSE_STEPS;
    const err = clipError(values, lo * a, hi * a, grid, symmetric);
    if (err < bestErr) {
      bestErr = err;
      best = [lo * a, hi * a];
    }
  }
  return best;
}

/** The [lo, hi] an estimator gives for one tensor's calibration statistics. */
export function estimateRange(stats: TensorStats, o: RangeOptions): [number, number] {
  const lo = Math.min(stats.min, 0);
  const hi = Math.max(stats.max, 0);
  switch (o.estimator) {
    case 'minmax':
      return [lo, hi];
    case 'percentile': {
      const [plo, phi] = percentileRange(stats.sample, o.percentile, o.symmetric);
      return [Math.max(lo, Math.min(plo, 0)), Math.min(hi, Math.max(phi, 0))];
    }
    case 'mse':
      return mseRange(stats.sample, lo, hi, o.grid, o.symmetric);
  }
}
