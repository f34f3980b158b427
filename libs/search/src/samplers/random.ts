import { SeededRng } from '@edgefit/core';
import { samplePoint } from '../space/sample.js';
import type { Config } from '../space/params.js';
import { assertKind, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

/** Independent uniform samples of the unit cube; the baseline every other sampler must beat. */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  private rng: SeededRng;

  constructor(private readonly seed = 0) {
    this.rng = new SeededRng(seed);
  }

  get options() {
    return { seed: this.seed };
  }

  ask(ctx: SamplerContext): Config {
    return ctx.space.decode(samplePoint(ctx.space.dims, this.rng));
  }

  tell(): void {}

  state(): SamplerState {
    return { kind: this.name, seed: this.seed, rng: [...this.rng.getState()] };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.rng = SeededRng.fromState(state.seed as number, state.rng as number[]);
  }
}
