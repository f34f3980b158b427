export interface LatencyStats {
  medianMs: number;
  p90Ms: number;
  minMs: number;
  meanMs: number;
  /** Coefficient of variation: standard deviation / mean. */
  cv: number;
}

/** Value at quantile q (0–1) of sorted values, linear interpolation between ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function latencyStats(timesMs: readonly number[]): LatencyStats {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const variance = sorted.reduce((a, t) => a + (t - mean) ** 2, 0) / sorted.length;
  return {
    medianMs: quantile(sorted, 0.5),
    p90Ms: quantile(sorted, 0.9),
    minMs: sorted[0]!,
    meanMs: mean,
    cv: mean > 0 ? Math.sqrt(variance) / mean : 0,
  };
}
