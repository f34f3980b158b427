import { describe, expect, it } from 'vitest';
import { DatasetError, SeededRng } from '@edgefit/core';
import { auroc } from './auroc.js';

/** Pairwise definition: P(score of a positive > score of a negative) + ½ P(tie). */
function bruteAuroc(scores: number[], positive: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (!positive[i]) return;
    scores.forEach((t, j) => {
      if (positive[j]) return;
      pairs++;
      sum += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe('auroc', () => {
  it('matches hand-computed values', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auroc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(auroc([3, 3, 3, 3], [0, 1, 0, 1])).toBe(0.5);
    // positives {0.35, 0.8, 0.4} vs negatives {0.1, 0.4}: 1+0+1+1+1+½ = 4.5 of 6 pairs
    expect(auroc([0.1, 0.4, 0.35, 0.8, 0.4], [false, false, true, true, true])).toBe(0.75);
    // positives {1, 2} vs negatives {1, 0}: (½ + 1) + (1 + 1) = 3.5 of 4
    expect(auroc([1, 2, 1, 0], [1, 1, 0, 0])).toBe(0.875);
  });

  it('agrees with the pairwise definition on random data with many ties', () => {
    const rng = new SeededRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = rng.int(2, 60);
      const scores = Array.from({ length: n }, () => rng.int(0, 5));
      const positive = Array.from({ length: n }, (_, i) => (i < 2 ? i === 0 : rng.next() < 0.3));
      expect(auroc(scores, positive)).toBeCloseTo(bruteAuroc(scores, positive), 12);
    }
  });

  it('needs both classes and no NaN', () => {
    expect(() => auroc([1, 2], [1, 1])).toThrow(DatasetError);
    expect(() => auroc([1, NaN], [1, 0])).toThrow(/NaN/);
    expect(() => auroc([1], [1, 0])).toThrow(RangeError);
  });
});
