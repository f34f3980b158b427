import { describe, expect, it } from 'vitest';
import { SeededRng } from './rng.js';

describe('SeededRng', () => {
  it('reproduces the same sequence for the same seed and differs for another', () => {
    const a = new SeededRng(7), b = new SeededRng(7), c = new SeededRng(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it('draws uniform floats in [0,1) with the right mean and ints in range', () => {
    const r = new SeededRng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = r.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      sum += v;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[r.int(0, 5)]++;
    counts.forEach((c) => expect(c).toBeGreaterThan(850));
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new SeededRng(3);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffle is a seeded permutation; fork gives independent reproducible streams', () => {
    const p = new SeededRng(5).shuffle([...Array(50).keys()]);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(new SeededRng(5).shuffle([...Array(50).keys()])).toEqual(p);
    expect(new SeededRng(5).fork('a').next()).toBe(new SeededRng(5).fork('a').next());
    expect(new SeededRng(5).fork('a').next()).not.toBe(new SeededRng(5).fork('b').next());
  });
});

describe('SeededRng state', () => {
  it('restores a stream exactly from its saved state', () => {
    const r = new SeededRng(11);
    r.next();
    const saved = r.getState();
    const expected = [r.next(), r.next()];
    const restored = SeededRng.fromState(11, saved);
    expect([restored.next(), restored.next()]).toEqual(expected);
  });
});
