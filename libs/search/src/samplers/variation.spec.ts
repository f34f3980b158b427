import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { boolParam, categoricalParam } from '../space/params.js';
import { SearchSpace } from '../space/space.js';
import { categoricalMutation, polynomialMutation, sbx } from './variation.js';

describe('variation operators', () => {
  it('categorical mutation always picks another value, each of the others about equally often', () => {
    const rng = new SeededRng(5);
    const p = categoricalParam('form', ['qdq', 'qoperator', 'dynamic', 'auto']);
    const space = new SearchSpace([p]);
    const counts = new Map<unknown, number>();
    for (let n = 0; n < 3000; n++) {
      const v = space.decodeValue(p, categoricalMutation(space.encodeValue(p, 'qdq'), p, rng));
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.has('qdq')).toBe(false);
    expect([...counts.keys()].sort()).toEqual(['auto', 'dynamic', 'qoperator']);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });

  it('a mutated bool flips', () => {
    const rng = new SeededRng(1);
    const p = boolParam('prune.enabled');
    const space = new SearchSpace([p]);
    for (const v of [true, false]) for (let n = 0; n < 20; n++) expect(space.decodeValue(p, categoricalMutation(space.encodeValue(p, v), p, rng))).toBe(!v);
  });

  it('polynomial mutation and SBX stay in the unit interval and move by small steps at eta 20', () => {
    const rng = new SeededRng(2);
    const steps: number[] = [];
    for (let n = 0; n < 2000; n++) {
      const x = rng.next();
      const y = polynomialMutation(x, 20, rng);
      const c = sbx(x, rng.next(), 15, rng);
      for (const v of [y, c]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      steps.push(Math.abs(y - x));
    }
    steps.sort((a, b) => a - b);
    expect(steps[1000]!).toBeLessThan(0.05); // median step
    expect(steps[1000]!).toBeGreaterThan(0.005);
  });
});
