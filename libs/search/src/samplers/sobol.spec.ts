import { describe, expect, it } from 'vitest';
import { SobolSampler } from './sobol.js';

// SciPy 1.x `qmc.Sobol(d=40, scramble=False).random(64)`, rows 1, 2, 3, 5, 13, 31, 63, times 64.
const SCIPY: Record<number, number[]> = {
  1: new Array(40).fill(32),
  2: [48, 16, 16, 16, 48, 48, 16, 48, 48, 48, 48, 48, 16, 16, 48, 16, 48, 16, 48, 16, 16, 48, 16, 16, 16, 48, 16, 48, 16, 48, 16, 16, 16, 48, 48, 48, 16, 16, 16, 16],
  3: [16, 48, 48, 48, 16, 16, 48, 16, 16, 16, 16, 16, 48, 48, 16, 48, 16, 48, 16, 48, 48, 16, 48, 48, 48, 16, 48, 16, 48, 16, 48, 48, 48, 16, 16, 16, 48, 48, 48, 48],
  5: [56, 56, 8, 24, 56, 40, 56, 24, 24, 8, 24, 56, 56, 8, 56, 24, 56, 24, 24, 40, 40, 40, 56, 24, 24, 24, 56, 8, 40, 40, 56, 40, 24, 24, 8, 8, 8, 24, 56, 24],
  13: [52, 44, 52, 4, 28, 60, 36, 36, 36, 28, 52, 60, 4, 52, 12, 36, 12, 44, 36, 60, 36, 4, 52, 36, 4, 28, 28, 4, 4, 20, 36, 28, 28, 36, 44, 20, 4, 44, 44, 60],
  31: [2, 34, 58, 62, 62, 50, 22, 34, 10, 38, 2, 22, 62, 14, 42, 54, 14, 26, 38, 46, 26, 14, 2, 18, 54, 38, 6, 2, 26, 50, 46, 26, 10, 46, 2, 26, 6, 62, 62, 22],
  63: [1, 51, 23, 29, 55, 9, 37, 9, 53, 37, 27, 43, 35, 49, 21, 49, 5, 25, 61, 15, 15, 35, 25, 35, 61, 41, 13, 19, 19, 29, 1, 59, 53, 33, 61, 61, 55, 13, 59, 11],
};

describe('Sobol sequence', () => {
  it('matches SciPy (Joe–Kuo direction numbers) in 40 dimensions', () => {
    const s = new SobolSampler({ scramble: false, skip: 0 });
    for (const [n, row] of Object.entries(SCIPY)) expect(s.point(Number(n), 40).map((v) => v * 64)).toEqual(row);
  });

  it('the first 2^k points stratify every one of 128 dimensions; scrambling keeps that', () => {
    for (const scramble of [false, true]) {
      const s = new SobolSampler({ scramble, seed: 9, skip: 0 });
      const pts = Array.from({ length: 64 }, (_, n) => s.point(n, 128));
      for (let d = 0; d < 128; d++) {
        const cells = new Set(pts.map((p) => Math.floor(p[d]! * 64)));
        expect(cells.size).toBe(64);
      }
    }
  });

  it('rejects spaces beyond its table', () => {
    expect(() => new SobolSampler().point(0, 129)).toThrow(/up to 128/);
  });
});
