import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { agpFraction, agpSchedule } from './agp-schedule.js';
import { applyMask, globalMagnitudeMasks, layerMagnitudeMask } from './magnitude.js';
import { maxNonzerosPerGroup, nmMask } from './nm-sparsity.js';
import { randomValues } from './spec-helpers.js';

const zeros = (m: Float32Array) => m.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

describe('magnitude masks', () => {
  it('prune exactly round(s·n) weights, the smallest ones, ties by position', () => {
    const w = Float32Array.from([0.5, -0.1, 0.1, 2, -0.1, 0, 3]);
    const mask = layerMagnitudeMask(w, 0.5); // round(3.5) = 4: 0, then the three ±0.1 (positions 1, 2, 4)
    expect(Array.from(mask)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    for (const s of [0, 0.3, 0.9, 0.99]) {
      const v = randomValues(1001, new SeededRng(3));
      expect(zeros(layerMagnitudeMask(v, s))).toBe(Math.round(s * 1001));
    }
  });

  it('global masks prune round(s·total) over all tensors, more where weights are small', () => {
    const rng = new SeededRng(7);
    const big = randomValues(500, rng, 1);
    const small = randomValues(2000, rng, 0.1);
    const masks = globalMagnitudeMasks([big, small], 0.8);
    expect(zeros(masks[0]!) + zeros(masks[1]!)).toBe(Math.round(0.8 * 2500));
    expect(zeros(masks[1]!) / 2000).toBeGreaterThan(zeros(masks[0]!) / 500);
  });

  it('applyMask writes +0, never −0', () => {
    const out = applyMask(Float32Array.from([-1e-9, 2]), Float32Array.from([0, 1]));
    expect(Object.is(out[0], 0)).toBe(true);
  });
});

describe('AGP schedule (Zhu & Gupta 2017)', () => {
  it('rises cubically to the final sparsity', () => {
    const s = agpSchedule(0.9, 4);
    expect(s).toHaveLength(4);
    // s_t = 0.9 · (1 − (1 − t/4)³)
    expect(s[0]).toBeCloseTo(0.9 * (1 - 0.75 ** 3), 12);
    expect(s[1]).toBeCloseTo(0.9 * (1 - 0.5 ** 3), 12);
    expect(s[3]).toBe(0.9);
    // Each step prunes less than the one before: fast while redundancy is high, slow near the end.
    const increments = s.map((v, i) => v - (s[i - 1] ?? 0));
    for (let i = 1; i < increments.length; i++) expect(increments[i]).toBeLessThan(increments[i - 1]!);
    expect(agpFraction(1, 1)).toBe(1);
  });
});

describe('N:M masks', () => {
  it('keep the N largest of every M along the reduction axis', () => {
    const w = Float32Array.from([1, -4, 3, 2, 0.5, 0.1, -0.2, 0.3]);
    const rowMajor = { units: 1, length: 8, index: (_u: number, r: number) => r };
    expect(Array.from(applyMask(w, nmMask(w, rowMajor, 2, 4)))).toEqual([0, -4, 3, 0, 0.5, 0, 0, 0.30000001192092896]);
    const v = randomValues(30 * 17, new SeededRng(1));
    // Column layout ([K, N] weights): groups run down a column; 17 is not a multiple of 4.
    const cols = { units: 30, length: 17, index: (u: number, r: number) => r * 30 + u };
    const pruned = applyMask(v, nmMask(v, cols, 2, 4));
    expect(maxNonzerosPerGroup(pruned, cols, 4)).toBe(2);
    expect(zeros(pruned)).toBe(30 * (4 * 2 + 0)); // 4 full groups lose 2 each; the last group of 1 keeps it
  });
});
