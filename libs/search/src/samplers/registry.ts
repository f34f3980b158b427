import { UserInputError } from '@edgefit/core';
import { GridSampler } from './grid.js';
import { MotpeSampler } from './motpe.js';
import { Nsga2Sampler } from './nsga2.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';
import { SobolSampler } from './sobol.js';

export const SAMPLER_NAMES = ['random', 'grid', 'sobol', 'nsga2', 'motpe'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Build a sampler by name — how a stored study gets its sampler back on resume. */
export function createSampler(name: string, seed: number, options: Record<string, unknown> = {}): Sampler {
  switch (name) {
    case 'random':
      return new RandomSampler(seed);
    case 'grid':
      return new GridSampler({ ...options, seed });
    case 'sobol':
      return new SobolSampler({ ...options, seed });
    case 'nsga2':
      return new Nsga2Sampler({ ...options, seed });
    case 'motpe':
    case 'tpe':
      return new MotpeSampler({ ...options, seed });
    default:
      throw new UserInputError(`unknown sampler '${name}'; known: ${SAMPLER_NAMES.join(', ')}`);
  }
}
