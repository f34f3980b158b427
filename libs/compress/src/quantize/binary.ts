import { channelOf, type QParams } from './numerics.js';

/**
 * Binary weights (XNOR-Net style): w ≈ α · sign(w), with α the mean |w| of
 * the channel (or tensor), the L2-optimal scale for a fixed sign pattern.
 * Expressed as QParams on the grid {−1, +1} with zero point 0, so the
 * dequantized value is q · α like every other width; sign(0) is +1.
 */
export function binarize(values: Float32Array, dims: readonly number[], axis: number | null): { q: Int32Array; params: QParams } {
  const ch = channelOf(dims, axis);
  const channels = axis === null ? 1 : dims[axis]!;
  const sum = new Float64Array(channels);
  const count = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = ch(i);
    sum[c]! += Math.abs(values[i]!);
    count[c]! += 1;
  }
  const scale = Float32Array.from(sum, (s, c) => (s > 0 ? s / count[c]! : 1));
  const q = Int32Array.from(values, (v) => (v < 0 ? -1 : 1));
  return { q, params: { scale, zeroPoint: new Int32Array(channels), range: { qmin: -1, qmax: 1 }, axis } };
}
