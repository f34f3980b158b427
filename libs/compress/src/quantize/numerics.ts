/**
 * Quantization arithmetic, following the ONNX operator definitions:
 *
 *   QuantizeLinear:   q = saturate(round(x / scale) + zero_point)   round = half to even
 *   DequantizeLinear: x = (q − zero_point) · scale
 *
 * `x / scale` is a float32 division in onnxruntime; dividing two float32
 * values in float64 and rounding the quotient to float32 gives the same
 * (correctly rounded) result, so `Math.fround(x / scale)` matches it exactly,
 * ties included.
 */

/** An integer grid [qmin, qmax]. */
export interface IntRange {
  qmin: number;
  qmax: number;
}

/** Ranges of the integer types Q/DQ may carry. */
export const INT_RANGES = {
  int8: { qmin: -128, qmax: 127 },
  uint8: { qmin: 0, qmax: 255 },
  int4: { qmin: -8, qmax: 7 },
  uint4: { qmin: 0, qmax: 15 },
  int16: { qmin: -32768, qmax: 32767 },
  uint16: { qmin: 0, qmax: 65535 },
} as const satisfies Record<string, IntRange>;

/**
 * The n-bit grid weights of `bits` bits use: signed two's complement
 * [−2^(b−1), 2^(b−1)−1] (asymmetric schemes shift it with a zero point, which
 * is the same grid as the unsigned one). 1 bit is the binary grid {−1, +1}.
 */
export function bitRange(bits: number): IntRange {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new RangeError(`bit width must be an integer from 1 to 16, got ${bits}`);
  if (bits === 1) return { qmin: -1, qmax: 1 };
  return { qmin: -(2 ** (bits - 1)), qmax: 2 ** (bits - 1) - 1 };
}

/** Round half to even (banker's rounding), as ONNX QuantizeLinear requires. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export function saturate(v: number, r: IntRange): number {
  return v < r.qmin ? r.qmin : v > r.qmax ? r.qmax : v;
}

/** One value through QuantizeLinear. */
export function quantizeValue(x: number, scale: number, zeroPoint: number, r: IntRange): number {
  return saturate(roundHalfEven(Math.fround(x / scale)) + zeroPoint, r);
}

/** One value through DequantizeLinear (float32 result, as onnxruntime computes it). */
export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround((q - zeroPoint) * scale);
}

/**
 * Scale and zero point of a tensor, per tensor (`axis` null, one entry) or
 * per channel along `axis` (one entry per slice). Scales are float32 values.
 */
export interface QParams {
  scale: Float32Array;
  zeroPoint: Int32Array;
  range: IntRange;
  axis: number | null;
}

/**
 * Scale and zero point mapping [lo, hi] onto the grid. The range is widened
 * to contain 0 so that zero is exact (padding, ReLU and pruned weights stay
 * exactly 0). Symmetric: zero point 0, scale = max|x| / ((qmax − qmin) / 2);
 * asymmetric: scale = (hi − lo) / (qmax − qmin), zero point = round(qmin − lo/scale).
 * A zero range (an all-zero channel) gets scale 1.
 */
export function scaleZeroPoint(lo: number, hi: number, r: IntRange, symmetric: boolean): { scale: number; zeroPoint: number } {
  lo = Math.min(lo, 0);
  hi = Math.max(hi, 0);
  if (symmetric) {
    if (r.qmin >= 0) throw new RangeError('a symmetric scheme needs a signed integer grid');
    const scale = Math.fround(Math.max(-lo, hi) / ((r.qmax - r.qmin) / 2));
    return { scale: scale > 0 && Number.isFinite(scale) ? scale : 1, zeroPoint: 0 };
  }
  const scale = Math.fround((hi - lo) / (r.qmax - r.qmin));
  if (!(scale > 0) || !Number.isFinite(scale)) return { scale: 1, zeroPoint: saturate(0, r) };
  return { scale, zeroPoint: saturate(roundHalfEven(r.qmin - lo / scale), r) };
}

/** Element counts around `axis`: element i belongs to channel ⌊i / inner⌋ mod channels. */
export function axisLayout(dims: readonly number[], axis: number): { channels: number; inner: number } {
  if (axis < 0 || axis >= dims.length) throw new RangeError(`axis ${axis} is outside a tensor of rank ${dims.length}`);
  return { channels: dims[axis]!, inner: dims.slice(axis + 1).reduce((a, b) => a * b, 1) };
}

/** Channel of each element (0 everywhere when per tensor). */
export function channelOf(dims: readonly number[], axis: number | null): (i: number) => number {
  if (axis === null) return () => 0;
  const { channels, inner } = axisLayout(dims, axis);
  return (i) => Math.floor(i / inner) % channels;
}

/** Min and max of each channel (one entry when per tensor). */
export function channelMinMax(values: Float32Array, dims: readonly number[], axis: number | null): { min: Float64Array; max: Float64Array } {
  const n = axis === null ? 1 : axisLayout(dims, axis).channels;
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const ch = channelOf(dims, axis);
  for (let i = 0; i < values.length; i++) {
    const c = ch(i);
    const v = values[i]!;
    if (v < min[c]!) min[c] = v;
    if (v > max[c]!) max[c] = v;
  }
  for (let c = 0; c < n; c++) if (min[c] === Infinity) min[c] = max[c] = 0;
  return { min, max };
}

/** QuantizeLinear over a whole tensor (per tensor or per axis). */
export function quantizeTensor(values: Float32Array, dims: readonly number[], p: QParams): Int32Array {
  const ch = channelOf(dims, p.axis);
  const q = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = ch(i);
    q[i] = quantizeValue(values[i]!, p.scale[c]!, p.zeroPoint[c]!, p.range);
  }
  return q;
}

/** DequantizeLinear over a whole tensor. */
export function dequantizeTensor(q: Int32Array, dims: readonly number[], p: QParams): Float32Array {
  const ch = channelOf(dims, p.axis);
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const c = ch(i);
    out[i] = dequantizeValue(q[i]!, p.scale[c]!, p.zeroPoint[c]!);
  }
  return out;
}

/** The same grid stored unsigned: q + 2^(b−1), zero point + 2^(b−1) (int8 → uint8), values unchanged. */
export function toUnsigned(p: QParams): QParams {
  const shift = -p.range.qmin;
  return { ...p, zeroPoint: p.zeroPoint.map((z) => z + shift), range: { qmin: 0, qmax: p.range.qmax + shift } };
}

/** Params from per-channel [lo, hi] ranges. */
export function qparamsFromRanges(lo: ArrayLike<number>, hi: ArrayLike<number>, r: IntRange, symmetric: boolean, axis: number | null): QParams {
  const scale = new Float32Array(lo.length);
  const zeroPoint = new Int32Array(lo.length);
  for (let c = 0; c < lo.length; c++) {
    const sz = scaleZeroPoint(lo[c]!, hi[c]!, r, symmetric);
    scale[c] = sz.scale;
    zeroPoint[c] = sz.zeroPoint;
  }
  return { scale, zeroPoint, range: r, axis };
}

/** Mean squared error between two equally long arrays. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return a.length ? s / a.length : 0;
}
