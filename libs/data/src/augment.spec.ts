import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { randomShift } from './augment.js';

describe('randomShift', () => {
  const x = Float32Array.from({ length: 2 * 1 * 3 * 3 }, (_, i) => i + 1);

  it('is the identity with maxShift 0', () => {
    expect(randomShift(x, [2, 1, 3, 3], 0, new SeededRng(1))).toEqual(x);
  });

  it('shifts each sample by at most k with zero fill, keeping the pixel multiset', () => {
    for (let seed = 0; seed < 20; seed++) {
      const out = randomShift(x, [2, 1, 3, 3], 1, new SeededRng(seed));
      for (let s = 0; s < 2; s++) {
        const sample = Array.from(out.subarray(s * 9, s * 9 + 9));
        const kept = sample.filter((v) => v !== 0);
        // every kept value is a source pixel of this sample, and at most one row and one column are lost
        expect(kept.every((v) => v > s * 9 && v <= s * 9 + 9)).toBe(true);
        expect(kept.length).toBeGreaterThanOrEqual(4);
        // a pixel's value tells its source position: the offset is the same for all kept pixels
        const offsets = new Set(sample.flatMap((v, i) => (v === 0 ? [] : [i - (v - 1 - s * 9)])));
        expect(offsets.size).toBe(1);
      }
    }
  });

  it('moves a known image the way the rng says', () => {
    const img = new Float32Array(25);
    img[12] = 1; // centre of 5x5
    const rng = new SeededRng(9);
    const probe = new SeededRng(9);
    const dx = probe.int(-2, 2);
    const dy = probe.int(-2, 2);
    const out = randomShift(img, [1, 1, 5, 5], 2, rng);
    expect(out.indexOf(1)).toBe((2 + dy) * 5 + (2 + dx));
    expect(out.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('is deterministic per seed', () => {
    expect(randomShift(x, [2, 1, 3, 3], 1, new SeededRng(5))).toEqual(randomShift(x, [2, 1, 3, 3], 1, new SeededRng(5)));
    expect(() => randomShift(x, [1, 1, 3, 3], 1, new SeededRng(5))).toThrow(RangeError);
  });
});
