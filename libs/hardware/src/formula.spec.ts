import { describe, expect, it } from 'vitest';
import { FormulaError, evaluate, formulaVariables, parseFormula } from './formula.js';

describe('template formulas', () => {
  it('evaluate arithmetic with the usual precedence', () => {
    expect(evaluate('1 + 2 * 3', {})).toBe(7);
    expect(evaluate('(1 + 2) * 3', {})).toBe(9);
    expect(evaluate('2 ^ 3 ^ 2', {})).toBe(512); // right-associative
    expect(evaluate('-2 ^ 2', {})).toBe(-4);
    expect(evaluate('10 / 4 - 1', {})).toBe(1.5);
    expect(evaluate('1.5e3 + .5', {})).toBe(1500.5);
  });

  it('read parameters and call the allowed functions', () => {
    const vars = { rows: 32, cols: 16, clockMHz: 500, sramKB: 128 };
    expect(evaluate('rows * cols * 16 * clockMHz * 1e6', vars)).toBe(4.096e12);
    expect(evaluate('1.25 * sqrt(sramKB / 8)', vars)).toBe(5);
    expect(evaluate('max(rows, cols, 40) + min(1, 2) + ceil(log2(rows)) + floor(2.7) + pow(2, 3)', vars)).toBe(40 + 1 + 5 + 2 + 8);
    expect([...formulaVariables(parseFormula('a * b + sqrt(c) - a'))].sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuse anything that is not arithmetic', () => {
    for (const bad of ['', '1 +', 'process.exit(1)', 'eval(1)', 'a; b', '2 ** 3', 'sqrt(1, 2)', '(1 + 2']) {
      expect(() => parseFormula(bad), bad).toThrow(FormulaError);
    }
    expect(() => evaluate('rows * 2', {})).toThrow(/unknown parameter 'rows'/);
  });
});
