import { describe, expect, it } from 'vitest';
import { correctionFactor, localResidual } from './local-correction.js';

describe('local correction of a calibrated law', () => {
  const cliff = [{ at: [10, 3, 2], logRatio: Math.log(4) }]; // the law was 4x too fast at this shape

  it('leaves the law alone without residuals or far from every benchmark', () => {
    expect(correctionFactor(undefined, [10, 3, 2])).toBe(1);
    expect(correctionFactor([], [10, 3, 2])).toBe(1);
    expect(correctionFactor(cliff, [10, 9, 6])).toBeCloseTo(1, 6); // 64x and 16x away
  });

  it('takes most of a benchmark\'s miss at its shape and less a factor of two away', () => {
    const at = correctionFactor(cliff, [10, 3, 2]);
    expect(at).toBeCloseTo(Math.exp(Math.log(4) / 1.1), 9); // shrunk by the prior weight 0.1
    const near = correctionFactor(cliff, [11, 3, 2]);
    expect(near).toBeGreaterThan(2.5);
    expect(near).toBeLessThan(at);
    // two benchmarks that missed in opposite directions at the same shape cancel
    expect(correctionFactor([...cliff, { at: [10, 3, 2], logRatio: -Math.log(4) }], [10, 3, 2])).toBeCloseTo(1, 9);
    // shapes of another rank (element-wise kinds) are not compared
    expect(correctionFactor(cliff, [12])).toBe(1);
  });

  it('bounds one benchmark\'s miss to 8x and skips runs with nothing left after the overheads', () => {
    expect(localResidual([1], 100, 1)!.logRatio).toBeCloseTo(Math.log(8), 3);
    expect(localResidual([1], 0.01, 1)!.logRatio).toBeCloseTo(-Math.log(8), 3);
    expect(localResidual([1], -0.002, 1)).toBeNull();
    expect(localResidual([1], 0.5, 0)).toBeNull();
  });
});
