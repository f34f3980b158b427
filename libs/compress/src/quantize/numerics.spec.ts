import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, ModelBuilder, encodeModel, floatTensor } from '@edgefit/onnx';
import { intTensor } from './int-tensors.js';
import {
  INT_RANGES, bitRange, dequantizeTensor, quantizeTensor, quantizeValue, roundHalfEven, scaleZeroPoint, type IntRange, type QParams,
} from './numerics.js';

/** ONNX QuantizeLinear written out literally from the operator definition, in float32. */
function onnxSpecQuantize(x: number, scale: number, zeroPoint: number, type: 'int8' | 'uint8'): number {
  const v = Math.fround(Math.fround(x) / Math.fround(scale));
  // "rounding to nearest ties to even"
  const lower = Math.floor(v);
  const frac = v - lower;
  const rounded = frac > 0.5 || (frac === 0.5 && lower % 2 !== 0) ? lower + 1 : lower;
  const [lo, hi] = type === 'int8' ? [-128, 127] : [0, 255];
  return Math.min(hi, Math.max(lo, rounded + zeroPoint));
}

/** Run onnxruntime's QuantizeLinear (per tensor, or per axis 1 of a [n/c, c] input). */
async function ortQuantize(x: Float32Array, scale: Float32Array, zp: Int32Array, type: 'int8' | 'uint8'): Promise<number[]> {
  const c = scale.length;
  const dataType = type === 'int8' ? DataType.INT8 : DataType.UINT8;
  const b = new ModelBuilder('q', 17);
  b.input('x', [x.length / c, c]);
  b.initializer(floatTensor('s', c === 1 ? [] : [c], scale));
  b.initializer(intTensor('z', c === 1 ? [] : [c], zp, dataType));
  b.node('QuantizeLinear', ['x', 's', 'z'], ['q'], c === 1 ? {} : { axis: 1 });
  b.output('q', [x.length / c, c], dataType);
  const session = await ort.InferenceSession.create(encodeModel(b.build()));
  const out = await session.run({ x: new ort.Tensor('float32', x, [x.length / c, c]) });
  await session.release();
  return Array.from(out.q!.data as Int8Array | Uint8Array);
}

const TIES = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 127.5, -127.5, -128.5, 253.5, 254.5, 255.5];
/** Tie points, saturation, negative zero points: (x, scale, zero point, type). */
const TRICKY: Array<[number, number, number, 'int8' | 'uint8']> = [
  ...TIES.map((t) => [t * 0.25, 0.25, 0, 'int8'] as [number, number, number, 'int8']),
  ...TIES.map((t) => [t * 0.5, 0.5, 3, 'uint8'] as [number, number, number, 'uint8']),
  ...TIES.map((t) => [t, 1, -100, 'int8'] as [number, number, number, 'int8']),
  [1e9, 0.01, 0, 'int8'], [-1e9, 0.01, 0, 'int8'], [1e9, 0.01, 128, 'uint8'], [-1e9, 0.01, 128, 'uint8'],
  [-3, 0.02, -128, 'int8'], [3, 0.02, 127, 'int8'], [-0.0, 0.1, -5, 'int8'], [0.3, 0.1, 0, 'int8'], [-0.3, 0.1, 255, 'uint8'],
];

const f32 = fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true });
const scaleArb = fc.float({ min: Math.fround(1e-4), max: 100, noNaN: true });

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 4, 0, -2, -2, 2, 3]);
  });
});

describe('quantizeValue follows the ONNX QuantizeLinear definition', () => {
  it('on tie points, saturation and negative zero points', () => {
    for (const [x, s, z, t] of TRICKY) expect(quantizeValue(x, s, z, INT_RANGES[t])).toBe(onnxSpecQuantize(x, s, z, t));
  });

  it('on random values (property)', () => {
    fc.assert(
      fc.property(f32, scaleArb, fc.integer({ min: -128, max: 127 }), (x, s, z) => quantizeValue(x, s, z, INT_RANGES.int8) === onnxSpecQuantize(x, s, z, 'int8')),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(f32, scaleArb, fc.integer({ min: 0, max: 255 }), (x, s, z) => quantizeValue(x, s, z, INT_RANGES.uint8) === onnxSpecQuantize(x, s, z, 'uint8')),
      { numRuns: 2000 },
    );
  });

  it('matches onnxruntime QuantizeLinear exactly on the tricky values', async () => {
    for (const type of ['int8', 'uint8'] as const) {
      for (const [x, s, z, t] of TRICKY.filter((c) => c[3] === type)) {
        const [q] = await ortQuantize(Float32Array.of(x), Float32Array.of(s), Int32Array.of(z), type);
        expect(quantizeValue(x, Math.fround(s), z, INT_RANGES[t]), `x=${x} scale=${s} zp=${z} ${t}`).toBe(q);
      }
    }
  });

  it('matches onnxruntime exactly on random data, per tensor and per axis (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('int8' as const, 'uint8' as const),
        fc.integer({ min: 1, max: 4 }),
        fc.array(f32, { minLength: 8, maxLength: 8 }),
        fc.array(scaleArb, { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: -128, max: 255 }), { minLength: 4, maxLength: 4 }),
        async (type, c, values, scales, zps) => {
          const r = INT_RANGES[type];
          const p: QParams = {
            scale: Float32Array.from(scales.slice(0, c)),
            zeroPoint: Int32Array.from(zps.slice(0, c), (z) => Math.min(r.qmax, Math.max(r.qmin, z))),
            range: r,
            axis: c === 1 ? null : 1,
          };
          const x = Float32Array.from(values.slice(0, 8 - (8 % c)), (v, i) => (i % 3 === 0 ? v : v / 100));
          const ours = Array.from(quantizeTensor(x, [x.length / c, c], p));
          expect(ours).toEqual(await ortQuantize(x, p.scale, p.zeroPoint, type));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('scales and zero points', () => {
  const roundTrip = (x: number, s: { scale: number; zeroPoint: number }, r: IntRange) => dequantizeTensor(Int32Array.of(quantizeValue(x, s.scale, s.zeroPoint, r)), [1], { scale: Float32Array.of(s.scale), zeroPoint: Int32Array.of(s.zeroPoint), range: r, axis: null })[0]!;

  it('symmetric: zero point 0, ±max|x| at the grid ends', () => {
    const s = scaleZeroPoint(-0.3, 1.2, INT_RANGES.int8, true);
    expect(s.zeroPoint).toBe(0);
    expect(s.scale).toBeCloseTo(1.2 / 127.5, 7);
    expect(quantizeValue(-1.2, s.scale, 0, INT_RANGES.int8)).toBe(-128);
  });

  it('asymmetric: the range maps onto the whole grid and zero is exact', () => {
    fc.assert(
      fc.property(fc.float({ min: -50, max: 0, noNaN: true }), fc.float({ min: 0, max: 50, noNaN: true }), fc.integer({ min: 2, max: 8 }), (lo, hi, bits) => {
        const r = bitRange(bits);
        const s = scaleZeroPoint(lo, hi, r, false);
        expect(roundTrip(0, s, r)).toBe(0);
        expect(s.zeroPoint).toBeGreaterThanOrEqual(r.qmin);
        expect(s.zeroPoint).toBeLessThanOrEqual(r.qmax);
        if (hi - lo > 1e-3) {
          expect(Math.abs(roundTrip(lo, s, r) - lo)).toBeLessThanOrEqual(s.scale);
          expect(Math.abs(roundTrip(hi, s, r) - hi)).toBeLessThanOrEqual(s.scale);
        }
      }),
    );
  });

  it('gives an all-zero range scale 1, so pruned channels stay exactly zero', () => {
    expect(scaleZeroPoint(0, 0, INT_RANGES.int8, true)).toEqual({ scale: 1, zeroPoint: 0 });
    expect(scaleZeroPoint(0, 0, INT_RANGES.uint8, false).scale).toBe(1);
  });

  it('n-bit grids: signed ranges for 2–8 bits, binary {−1, +1}', () => {
    expect(bitRange(8)).toEqual({ qmin: -128, qmax: 127 });
    expect(bitRange(4)).toEqual({ qmin: -8, qmax: 7 });
    expect(bitRange(2)).toEqual({ qmin: -2, qmax: 1 });
    expect(bitRange(1)).toEqual({ qmin: -1, qmax: 1 });
    expect(() => bitRange(3.5)).toThrow(RangeError);
  });

  it('per-axis quantize and dequantize use each channel its own params', () => {
    const p: QParams = { scale: Float32Array.of(0.5, 2), zeroPoint: Int32Array.of(0, -3), range: INT_RANGES.int8, axis: 0 };
    const x = Float32Array.of(1, -1.25, 4, 9);
    const q = quantizeTensor(x, [2, 2], p);
    expect(Array.from(q)).toEqual([2, -2, -1, 1]);
    expect(Array.from(dequantizeTensor(q, [2, 2], p))).toEqual([1, -1, 4, 8]);
  });
});
