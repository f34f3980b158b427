import type { SeededRng } from '@edgefit/core';
import { cardinality, type ParamSpec } from '../space/params.js';

/**
 * Variation operators of evolutionary samplers on the unit cube: simulated
 * binary crossover and polynomial mutation for ordered genes (Deb's real-coded
 * GA operators, bounded to [0,1]) and a mutation for unordered ones.
 */

/** Simulated binary crossover (bounded form, Deb & Agrawal 1995); returns one child. */
export function sbx(a: number, b: number, eta: number, rng: SeededRng): number {
  const u = rng.next();
  const swap = rng.next() < 0.5;
  if (Math.abs(a - b) < 1e-14) return a;
  const y1 = Math.min(a, b);
  const y2 = Math.max(a, b);
  const e = eta + 1;
  const spread = (beta: number) => {
    const alpha = 2 - Math.pow(beta, -e);
    return u <= 1 / alpha ? Math.pow(u * alpha, 1 / e) : Math.pow(1 / (2 - u * alpha), 1 / e);
  };
  const c1 = 0.5 * (y1 + y2 - spread(1 + (2 * y1) / (y2 - y1)) * (y2 - y1));
  const c2 = 0.5 * (y1 + y2 + spread(1 + (2 * (1 - y2)) / (y2 - y1)) * (y2 - y1));
  return swap ? c2 : c1;
}

/** Polynomial mutation on [0,1] (Deb & Goyal 1996, bounded); larger eta = smaller steps. */
export function polynomialMutation(x: number, eta: number, rng: SeededRng): number {
  const u = rng.next();
  const e = eta + 1;
  let dq: number;
  if (u < 0.5) dq = Math.pow(2 * u + (1 - 2 * u) * Math.pow(1 - x, e), 1 / e) - 1;
  else dq = 1 - Math.pow(2 * (1 - u) + 2 * (u - 0.5) * Math.pow(x, e), 1 / e);
  return Math.min(Math.max(x + dq, 0), 1);
}

/**
 * Mutation of an unordered gene (categorical or bool): always a different
 * value, drawn uniformly from the others. Resampling the whole range instead
 * would leave the gene unchanged one time in k — for a bool, half the
 * mutations would do nothing.
 */
export function categoricalMutation(x: number, p: ParamSpec, rng: SeededRng): number {
  const k = cardinality(p);
  if (k < 2) return x;
  const current = Math.min(Math.floor(x * k), k - 1);
  const next = (current + rng.int(1, k - 1)) % k;
  return (next + 0.5) / k; // the centre of its cell, as SearchSpace.encodeValue puts it
}
