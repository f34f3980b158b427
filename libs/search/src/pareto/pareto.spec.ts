import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { constrainedDominates, crowdingDistance, dominates, leadingFronts, nonDominatedSort, rankOrder, toMinimization, violation } from './dominance.js';
import { defaultReferencePoint, hypervolume, hypervolumeContributions } from './hypervolume.js';
import { kneePoint } from './knee.js';

/** Inclusion–exclusion over all subsets: exact, exponential, independent of the HSO code. */
function hvBrute(points: number[][], ref: number[]): number {
  const pts = points.filter((p) => p.every((v, i) => v < ref[i]!));
  let total = 0;
  for (let mask = 1; mask < 1 << pts.length; mask++) {
    const corner = ref.map(() => -Infinity);
    let bits = 0;
    pts.forEach((p, i) => {
      if (mask & (1 << i)) {
        bits++;
        p.forEach((v, k) => (corner[k] = Math.max(corner[k]!, v)));
      }
    });
    const vol = corner.reduce((s, c, k) => s * (ref[k]! - c), 1);
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

describe('dominance', () => {
  it('compares in minimization form and flips maximized objectives', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(toMinimization([0.9, 5], ['maximize', 'minimize'])).toEqual([-0.9, 5]);
  });

  it('constrained domination (Deb 2002): feasible beats infeasible, infeasible by total violation', () => {
    expect(violation([-1, 0.5, 2])).toBe(2.5);
    expect(violation([null as unknown as number])).toBe(Infinity);
    expect(constrainedDominates([9, 9], 0, [0, 0], 0.1)).toBe(true);
    expect(constrainedDominates([0, 0], 0.1, [9, 9], 0)).toBe(false);
    expect(constrainedDominates([9, 9], 0.1, [0, 0], 0.2)).toBe(true);
    expect(constrainedDominates([1, 1], 0, [2, 2], 0)).toBe(true);
  });

  it('sorts into fronts, infeasible after feasible', () => {
    const pts = [
      [1, 5],
      [2, 3],
      [4, 1],
      [3, 4],
      [5, 5],
      [0, 0],
    ];
    const vio = [0, 0, 0, 0, 0, 1];
    expect(nonDominatedSort(pts, vio)).toEqual([[0, 1, 2], [3], [4], [5]]);
    expect(leadingFronts(pts, vio, 3)).toEqual([[0, 1, 2]]);
    expect(leadingFronts(pts, vio, 4)).toEqual([[0, 1, 2], [3]]);
  });

  it('leadingFronts agrees with the full sort', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 25 }), (raw) => {
        const pts = raw.map((p) => [...p]);
        const vio = pts.map(() => 0);
        const full = nonDominatedSort(pts, vio).map((f) => [...f].sort((a, b) => a - b));
        const lead = leadingFronts(pts, vio, pts.length).map((f) => [...f].sort((a, b) => a - b));
        expect(lead).toEqual(full);
      }),
      { numRuns: 100, seed: 1 },
    );
  });

  it('crowding distance: extremes infinite, interior by normalized neighbour gaps', () => {
    const pts = [
      [0, 4],
      [1, 2],
      [3, 1],
      [4, 0],
    ];
    const cd = crowdingDistance(pts, [0, 1, 2, 3]);
    expect(cd.get(0)).toBe(Infinity);
    expect(cd.get(3)).toBe(Infinity);
    expect(cd.get(1)).toBeCloseTo(3 / 4 + 3 / 4);
    expect(cd.get(2)).toBeCloseTo(3 / 4 + 2 / 4);
    expect(rankOrder(pts)).toEqual([0, 3, 1, 2]);
  });
});

describe('hypervolume', () => {
  it('2-D by hand', () => {
    // Staircase (1,3), (2,2), (3,1) under ref (4,4): 3 + 2 + 1 = 6.
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    // A dominated point and a point beyond the reference add nothing.
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4])).toBe(6);
    expect(hypervolume([], [1, 1])).toBe(0);
  });

  it('3-D and 4-D by hand', () => {
    expect(hypervolume([[0, 0, 0]], [1, 2, 3])).toBe(6);
    // Two boxes under (2,2,2): 2·1·2 + 1·2·2 − overlap 1·1·2 = 6.
    expect(hypervolume([[0, 1, 0], [1, 0, 0]], [2, 2, 2])).toBe(hvBrute([[0, 1, 0], [1, 0, 0]], [2, 2, 2]));
    expect(hypervolume([[0, 1, 0], [1, 0, 0]], [2, 2, 2])).toBe(6);
    expect(hypervolume([[0, 0, 0, 0]], [1, 1, 1, 2])).toBe(2);
  });

  it.each([2, 3, 4])('%i-D equals inclusion–exclusion on random small sets', (d) => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 8 }), (pts) => {
        const ref = new Array(d).fill(10);
        expect(hypervolume(pts, ref)).toBeCloseTo(hvBrute(pts, ref), 9);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('contributions and a default reference point', () => {
    expect(hypervolumeContributions([[1, 3], [2, 2], [3, 1]], [4, 4])).toEqual([1, 1, 1]);
    expect(defaultReferencePoint([[0, 10], [10, 0]])).toEqual([11, 11]);
  });
});

describe('knee point', () => {
  it('picks the bulge of a convex front', () => {
    // Extremes (0,10) and (10,0); (2,2) is farthest below the line x + y = 10.
    const front = [
      [0, 10],
      [1, 6],
      [2, 2],
      [6, 1],
      [10, 0],
    ];
    expect(kneePoint(front)).toBe(2);
  });

  it('works in 3-D and on tiny fronts', () => {
    const front = [
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
      [0.2, 0.2, 0.2],
    ];
    expect(kneePoint(front)).toBe(3);
    expect(kneePoint([[1, 2]])).toBe(0);
  });
});
