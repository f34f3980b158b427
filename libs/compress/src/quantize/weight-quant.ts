import { binarize } from './binary.js';
import { axisLayout, bitRange, channelMinMax, dequantizeTensor, qparamsFromRanges, quantizeTensor, type QParams } from './numerics.js';
import { mseRange } from './range-estimators.js';

export type WeightRange = 'minmax' | 'mse';

export interface WeightQuantOptions {
  bits: number;
  symmetric: boolean;
  /** Channel axis for per-channel quantization; null = per tensor. */
  axis: number | null;
  range: WeightRange;
}

/** A weight tensor on its integer grid, with the float values it stands for. */
export interface QuantizedWeight {
  dims: number[];
  bits: number;
  /** Integers in params.range (binary: −1 / +1). */
  q: Int32Array;
  params: QParams;
  /** (q − zero point) · scale: what the layer computes with. */
  dequantized: Float32Array;
}

/** Values of one channel (all values when per tensor). */
function channelValues(values: Float32Array, dims: readonly number[], axis: number | null, c: number): Float32Array {
  if (axis === null) return values;
  const { channels, inner } = axisLayout(dims, axis);
  const outer = values.length / (channels * inner);
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) out.set(values.subarray((o * channels + c) * inner, (o * channels + c + 1) * inner), o * inner);
  return out;
}

/**
 * Uniform n-bit quantization of a weight (any width 2–16; 1 bit is binary),
 * symmetric or asymmetric, per tensor or per channel, with min–max or
 * MSE-optimal clipping of each channel's range.
 */
export function quantizeWeight(values: Float32Array, dims: readonly number[], o: WeightQuantOptions): QuantizedWeight {
  if (o.bits === 1) {
    const { q, params } = binarize(values, dims, o.axis);
    return { dims: [...dims], bits: 1, q, params, dequantized: dequantizeTensor(q, dims, params) };
  }
  const grid = bitRange(o.bits);
  const { min, max } = channelMinMax(values, dims, o.axis);
  if (o.symmetric) {
    for (let c = 0; c < min.length; c++) {
      const m = Math.max(-min[c]!, max[c]!);
      min[c] = -m;
      max[c] = m;
    }
  }
  if (o.range === 'mse') {
    for (let c = 0; c < min.length; c++) {
      [min[c], max[c]] = mseRange(channelValues(values, dims, o.axis, c), Math.min(min[c]!, 0), Math.max(max[c]!, 0), grid, o.symmetric);
    }
  }
  const params = qparamsFromRanges(min, max, grid, o.symmetric, o.axis);
  const q = quantizeTensor(values, dims, params);
  return { dims: [...dims], bits: o.bits, q, params, dequantized: dequantizeTensor(q, dims, params) };
}

/** Re-quantize new float values on an existing grid (QAT: the trained weights, the scales fixed in training). */
export function requantizeWeight(values: Float32Array, w: QuantizedWeight): QuantizedWeight {
  if (w.bits === 1) return quantizeWeight(values, w.dims, { bits: 1, symmetric: true, axis: w.params.axis, range: 'minmax' });
  const q = quantizeTensor(values, w.dims, w.params);
  return { ...w, q, dequantized: dequantizeTensor(q, w.dims, w.params) };
}
