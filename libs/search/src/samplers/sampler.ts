import { UserInputError } from '@edgefit/core';
import type { SearchSpace } from '../space/space.js';
import type { Config } from '../space/params.js';
import type { Direction } from '../pareto/dominance.js';
import { toMinimization, violation } from '../pareto/dominance.js';
import type { TrialRecord } from '../study/trial.js';

/** What a sampler may see of the study: the space, the directions, and the trials so far. */
export interface SamplerContext {
  readonly space: SearchSpace;
  readonly directions: readonly Direction[];
  /** All trials, ordered by number. */
  readonly trials: readonly TrialRecord[];
  /** The number the asked trial will get. */
  readonly nextNumber: number;
}

export type SamplerState = { kind: string } & Record<string, unknown>;

/**
 * The sampler contract (Optuna's three methods, made resumable): `ask` returns
 * a config of the space, `tell` hears a finished trial, and `state()` is plain
 * JSON such that `restore(state())` on a fresh instance built with the same
 * options continues the exact same sequence. Samplers that learn from history
 * read it from `ctx.trials` (stored by the study), so their own state stays
 * small: a random stream and a few counters.
 */
export interface Sampler {
  readonly name: string;
  /** The options it was built with (seed included): enough for `createSampler` to rebuild it on resume. */
  readonly options: Readonly<Record<string, unknown>>;
  ask(ctx: SamplerContext): Config;
  tell(trial: TrialRecord, ctx: SamplerContext): void;
  state(): SamplerState;
  restore(state: SamplerState): void;
}

/** Completed trials with their minimization-form values and violations — what model-based samplers learn from. */
export interface Observations {
  trials: TrialRecord[];
  points: number[][];
  violations: number[];
}

export function observations(ctx: SamplerContext): Observations {
  const trials = ctx.trials.filter((t) => t.state === 'COMPLETE' && t.values);
  return {
    trials,
    points: trials.map((t) => toMinimization(t.values!, ctx.directions)),
    violations: trials.map((t) => violation(t.constraints)),
  };
}

/**
 * Hashes of every config the study has asked for, in any state. A config
 * asked again is never measured again (the study copies the earlier result,
 * or it fails the same way), so a sampler that proposes one spends a trial of
 * the budget on nothing.
 */
export function askedConfigs(ctx: SamplerContext): Set<string> {
  return new Set(ctx.trials.map((t) => t.configHash));
}

export function assertKind(state: SamplerState, kind: string): void {
  if (state.kind !== kind) throw new UserInputError(`sampler state is for '${state.kind}', not '${kind}'`);
}
