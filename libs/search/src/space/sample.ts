import type { SeededRng } from '@edgefit/core';
import type { Config } from './params.js';
import type { SearchSpace } from './space.js';

/** A uniform point of the unit cube (one rng draw per dimension, always, so streams stay aligned). */
export function samplePoint(dims: number, rng: SeededRng): number[] {
  const u = new Array<number>(dims);
  for (let i = 0; i < dims; i++) u[i] = rng.next();
  return u;
}

/** A uniformly random config of the space, conditions applied. */
export function sampleConfig(space: SearchSpace, rng: SeededRng): Config {
  return space.decode(samplePoint(space.dims, rng));
}
