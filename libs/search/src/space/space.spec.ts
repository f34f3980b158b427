import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng, UserInputError } from '@edgefit/core';
import type { ParamSchema } from '@edgefit/compress';
import { boolParam, categoricalParam, floatParam, intParam } from './params.js';
import { SearchSpace } from './space.js';
import { sampleConfig } from './sample.js';
import { spaceFromParamSchema } from './from-param-schema.js';

const space = new SearchSpace([
  floatParam('lr', 1e-4, 1e-1, { log: true }),
  intParam('width', 8, 256, { log: true }),
  intParam('k', 1, 9, { step: 2 }),
  categoricalParam('act', ['relu', 'gelu']),
  boolParam('quantize.enabled'),
  categoricalParam('quantize.bits', [2, 4, 8], { condition: { param: 'quantize.enabled', equals: true } }),
]);

describe('SearchSpace', () => {
  it('decodes any point of the cube to a valid config, conditions applied', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (u) => {
        const c = space.decode(u);
        space.validate(c);
        expect('quantize.bits' in c).toBe(c['quantize.enabled'] === true);
        expect([1, 3, 5, 7, 9]).toContain(c.k);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('encode ∘ decode is the identity on configs', () => {
    const rng = new SeededRng(5);
    for (let i = 0; i < 200; i++) {
      const c = sampleConfig(space, rng);
      const back = space.decode(space.encode(c).map((v) => (Number.isNaN(v) ? 0.5 : v)));
      expect(back.width).toBe(c.width);
      expect(back.k).toBe(c.k);
      expect(back.act).toBe(c.act);
      expect(back['quantize.enabled']).toBe(c['quantize.enabled']);
      if (c['quantize.enabled']) expect(back['quantize.bits']).toBe(c['quantize.bits']);
      expect(back.lr as number).toBeCloseTo(c.lr as number, 12);
    }
    expect(space.encode({ lr: 0.01, width: 8, k: 1, act: 'relu', 'quantize.enabled': false })[5]).toBeNaN();
  });

  it('log ranges reach both ends; ints snap to their step', () => {
    expect(space.decode([0, 0, 0, 0, 0, 0])).toMatchObject({ lr: 1e-4, width: 8, k: 1 });
    expect(space.decode([1, 1, 1, 1, 1, 1])).toMatchObject({ lr: 1e-1, width: 256, k: 9, 'quantize.bits': 8 });
  });

  it('a float range with a step takes only its grid values, ends included, each the same number every time', () => {
    const stepped = new SearchSpace([floatParam('sparsity', 0.05, 0.5, { step: 0.05 })]);
    const grid = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
    const seen = new Set<number>();
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => {
        const v = stepped.decode([u]).sparsity as number;
        expect(grid).toContain(v); // exact: 0.15, not 0.15000000000000002, so equal configs hash equal
        seen.add(v);
        expect(stepped.decode(stepped.encode({ sparsity: v }))).toEqual({ sparsity: v });
      }),
      { numRuns: 500, seed: 4 },
    );
    for (let u = 0; u <= 1; u += 0.01) seen.add(stepped.decode([u]).sparsity as number);
    expect([...seen].sort((a, b) => a - b)).toEqual(grid);
    expect(stepped.contains(stepped.params[0]!, 0.35)).toBe(true);
    expect(stepped.contains(stepped.params[0]!, 0.33)).toBe(false);
    expect(() => new SearchSpace([floatParam('s', 0.1, 1, { log: true, step: 0.1 })])).toThrow(/'s' needs a positive step and no log scale/);
  });

  it('hashes configs canonically (key order, inactive params ignored)', () => {
    const a = { lr: 0.01, width: 8, k: 1, act: 'relu', 'quantize.enabled': false };
    const b = { 'quantize.enabled': false, act: 'relu', k: 1, width: 8, lr: 0.01 };
    expect(space.hash(a)).toBe(space.hash(b));
    expect(space.hash({ ...a, 'quantize.bits': 4 })).toBe(space.hash(a));
    expect(space.hash({ ...a, lr: 0.02 })).not.toBe(space.hash(a));
  });

  it('rejects bad spaces and bad configs with the parameter named', () => {
    expect(() => new SearchSpace([categoricalParam('b', [1], { condition: { param: 'a', equals: 1 } })])).toThrow(/'b' depends on 'a'/);
    expect(() => new SearchSpace([floatParam('a', 0, 1, { log: true })])).toThrow(UserInputError);
    expect(() => new SearchSpace([floatParam('a', 0, 1), floatParam('a', 0, 1)])).toThrow(/duplicate/);
    expect(() => space.validate({ lr: 0.01, width: 8, k: 2, act: 'relu', 'quantize.enabled': false })).toThrow(/'k'/);
    expect(() => space.validate({ lr: 0.01, width: 8, k: 1, act: 'relu', 'quantize.enabled': false, 'quantize.bits': 4 })).toThrow(/inactive/);
    expect(() => space.validate({ lr: 0.01, width: 8, k: 1, act: 'relu', 'quantize.enabled': true })).toThrow(/'quantize.bits' is missing/);
    expect(() => space.validate({ lr: 0.01, width: 8, k: 1, act: 'relu', 'quantize.enabled': false, nope: 1 })).toThrow(/unknown parameter 'nope'/);
  });

  it('round-trips through JSON', () => {
    expect(SearchSpace.fromJSON(JSON.parse(JSON.stringify(space.toJSON()))).params).toEqual(space.params);
  });
});

describe('spaceFromParamSchema', () => {
  const schema: ParamSchema = {
    bits: { kind: 'int', default: 8, min: 2, max: 8, choices: [2, 4, 8], perLayer: true, description: 'bit width' },
    sparsity: { kind: 'float', default: 0.5, min: 0, max: 0.95, perLayer: true, description: 'fraction pruned' },
    rank: { kind: 'int', default: 16, min: 1, max: 64, log: true, description: 'rank' },
    method: { kind: 'categorical', default: 'l1', choices: ['l1', 'l2'], description: 'criterion' },
    symmetric: { kind: 'bool', default: true, description: 'symmetric' },
    calibration: { kind: 'string', default: 'minmax', description: 'not searchable' },
  };

  it('makes an on/off switch and conditional parameters from a pass schema', () => {
    const params = spaceFromParamSchema('quantize', schema);
    expect(params.map((p) => p.name)).toEqual(['quantize.enabled', 'quantize.bits', 'quantize.sparsity', 'quantize.rank', 'quantize.method', 'quantize.symmetric']);
    expect(params[1]).toMatchObject({ kind: 'categorical', choices: [2, 4, 8], condition: { param: 'quantize.enabled', equals: true } });
    expect(params[3]).toMatchObject({ kind: 'int', min: 1, max: 64, log: true });
    const s = new SearchSpace(params);
    expect(s.decode([0.1, 0.9, 0.9, 0.9, 0.9, 0.9])).toEqual({ 'quantize.enabled': false });
  });

  it('expands per-layer parameters over the given layers', () => {
    const params = spaceFromParamSchema('prune', schema, { optional: false, only: ['sparsity', 'method'], layers: ['fc1', 'fc2'] });
    expect(params.map((p) => p.name)).toEqual(['prune.sparsity.fc1', 'prune.sparsity.fc2', 'prune.method']);
    expect(params[0]!.condition).toBeUndefined();
  });
});
