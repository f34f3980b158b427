import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { findLayers } from './layers.js';
import { channelOf, mse } from './numerics.js';
import { convNetModel } from './testing/models.js';
import { quantizeWeight, requantizeWeight } from './weight-quant.js';

const normal = (n: number, seed: number, scale = 1) => {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
};

/** Distinct values of each channel along `axis`. */
function distinctPerChannel(values: Float32Array, dims: number[], axis: number): number[] {
  const ch = channelOf(dims, axis);
  const sets = Array.from({ length: dims[axis]! }, () => new Set<number>());
  values.forEach((v, i) => sets[ch(i)]!.add(v));
  return sets.map((s) => s.size);
}

describe('channel axes of weights', () => {
  it('Conv: output channels (0); Gemm: 0 with transB=1, else 1; MatMul: columns (1)', () => {
    const axes = (transB: 0 | 1) => Object.fromEntries(findLayers(convNetModel({ gemm: { transB } }).graph!).layers.map((l) => [l.name, l.axis]));
    expect(axes(1)).toEqual({ conv1: 0, conv2: 0, mm: 1, fc: 0 });
    expect(axes(0)).toEqual({ conv1: 0, conv2: 0, mm: 1, fc: 1 });
  });

  it('folds Gemm alpha into the weight and beta into the bias', () => {
    const plain = findLayers(convNetModel().graph!).layers.find((l) => l.name === 'fc')!;
    const scaled = findLayers(convNetModel({ gemm: { alpha: 2, beta: 0.5 } }).graph!).layers.find((l) => l.name === 'fc')!;
    expect(scaled.weight[3]).toBeCloseTo(2 * plain.weight[3]!, 6);
    expect(scaled.bias![2]).toBeCloseTo(0.5 * plain.bias![2]!, 6);
  });
});

describe('quantizeWeight', () => {
  const dims = [16, 64];

  it('n-bit asymmetric per-channel weights take exactly 2^b values in every channel (b = 2…7)', () => {
    const big = [16, 512];
    const w = normal(16 * 512, 1);
    for (let bits = 2; bits <= 7; bits++) {
      const q = quantizeWeight(w, big, { bits, symmetric: false, axis: 0, range: 'minmax' });
      const distinct = distinctPerChannel(q.dequantized, big, 0);
      if (bits <= 3) expect(distinct, `${bits} bits`).toEqual(Array(16).fill(2 ** bits));
      else distinct.forEach((d) => expect(d).toBeLessThanOrEqual(2 ** bits));
    }
  });

  it('symmetric grids keep zero exact and never exceed 2^b levels', () => {
    const w = normal(16 * 64, 2);
    w[5] = 0;
    const q = quantizeWeight(w, dims, { bits: 2, symmetric: true, axis: 0, range: 'mse' });
    expect(q.dequantized[5]).toBe(0);
    distinctPerChannel(q.dequantized, dims, 0).forEach((d) => expect(d).toBeLessThanOrEqual(4));
  });

  it('binary: sign × the mean |w| of each channel', () => {
    const w = normal(16 * 64, 3);
    const q = quantizeWeight(w, dims, { bits: 1, symmetric: true, axis: 0, range: 'minmax' });
    expect(distinctPerChannel(q.dequantized, dims, 0)).toEqual(Array(16).fill(2));
    const row = w.subarray(64, 128);
    const alpha = row.reduce((a, v) => a + Math.abs(v), 0) / 64;
    expect(q.dequantized[64 + 3]).toBeCloseTo(Math.sign(row[3]!) * alpha, 6);
  });

  it('per-channel beats per-tensor on a layer with uneven channel ranges', () => {
    const w = new Float32Array(16 * 64);
    for (let c = 0; c < 16; c++) w.set(normal(64, 10 + c, 10 ** ((c % 4) - 2)), c * 64);
    // Mean over channels of the relative error: per tensor, the small channels drown in the big one's step.
    const err = (axis: number | null) => {
      const d = quantizeWeight(w, dims, { bits: 8, symmetric: true, axis, range: 'minmax' }).dequantized;
      let sum = 0;
      for (let c = 0; c < 16; c++) sum += mse(w.subarray(c * 64, c * 64 + 64), d.subarray(c * 64, c * 64 + 64)) / mse(w.subarray(c * 64, c * 64 + 64), new Float32Array(64));
      return sum / 16;
    };
    expect(err(0)).toBeLessThan(1e-4);
    expect(err(null)).toBeGreaterThan(100 * err(0));
  });

  it('MSE clipping lowers the error of 2- and 4-bit weights below min–max', () => {
    const w = normal(4096, 4);
    for (const bits of [2, 4]) {
      const err = (range: 'minmax' | 'mse') => mse(w, quantizeWeight(w, [4096], { bits, symmetric: true, axis: null, range }).dequantized);
      expect(err('mse')).toBeLessThan(err('minmax'));
    }
  });

  it('requantizes new values on the same grid (QAT export)', () => {
    const w = normal(16 * 64, 5);
    const q = quantizeWeight(w, dims, { bits: 4, symmetric: false, axis: 0, range: 'minmax' });
    const again = requantizeWeight(w.map((v) => v + 1e-4), q);
    expect(again.params).toBe(q.params);
    expect(mse(again.dequantized, q.dequantized)).toBeLessThan(1e-3);
  });
});
