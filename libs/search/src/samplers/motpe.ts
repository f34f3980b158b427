import { SeededRng } from '@edgefit/core';
import { cardinality, isCategorical, type Config } from '../space/params.js';
import { leadingFronts } from '../pareto/dominance.js';
import { defaultReferencePoint, hypervolume } from '../pareto/hypervolume.js';
import { samplePoint } from '../space/sample.js';
import { CategoricalParzen, NumericParzen, type Estimator } from './parzen.js';
import { assertKind, observations, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

export interface MotpeOptions {
  seed?: number;
  /** Random trials before the model is used. Default 10. */
  startupTrials?: number;
  /** Candidates drawn from l(x) per parameter. Default 24. */
  candidates?: number;
  /** Size of the "good" set for n completed trials. Default min(⌈0.1·n⌉, 25) (Optuna). */
  gamma?: (n: number) => number;
  priorWeight?: number;
}

/**
 * Multi-objective TPE (Ozaki et al. 2020). The completed trials are split
 * into a good set — whole non-domination fronts (constrained: feasible
 * first), with the last front cut by greedy hypervolume subset selection —
 * and the rest. Per parameter, Parzen estimators l(x) and g(x) are fitted to
 * the two sets (in unit-cube coordinates, only where the parameter was
 * active), candidates are drawn from l, and the one maximizing
 * log l − log g (the EI ratio) is taken. Univariate, as Optuna's default.
 */
export class MotpeSampler implements Sampler {
  readonly name = 'motpe';
  private rng: SeededRng;
  private readonly seed: number;
  private readonly startup: number;
  private readonly nCand: number;
  private readonly gamma: (n: number) => number;
  private readonly priorWeight: number;
  /** Encoded configs by trial number: a pure cache, rebuilt on demand after restore. */
  private readonly encoded = new Map<number, number[]>();

  constructor(opts: MotpeOptions = {}) {
    this.seed = opts.seed ?? 0;
    this.rng = new SeededRng(this.seed);
    this.startup = opts.startupTrials ?? 10;
    this.nCand = opts.candidates ?? 24;
    this.gamma = opts.gamma ?? ((n) => Math.min(Math.ceil(0.1 * n), 25));
    this.priorWeight = opts.priorWeight ?? 1;
  }

  /** A custom `gamma` function cannot be stored; a resumed study gets the default unless the caller passes it again. */
  get options() {
    return { seed: this.seed, startupTrials: this.startup, candidates: this.nCand, priorWeight: this.priorWeight };
  }

  ask(ctx: SamplerContext): Config {
    const obs = observations(ctx);
    const n = obs.trials.length;
    if (n < this.startup) return ctx.space.decode(samplePoint(ctx.space.dims, this.rng));

    const good = this.splitGood(obs.points, obs.violations, Math.max(1, this.gamma(n)));
    const isGood = new Array<boolean>(n).fill(false);
    for (const i of good) isGood[i] = true;
    const enc = obs.trials.map((t) => {
      let e = this.encoded.get(t.number);
      if (!e) this.encoded.set(t.number, (e = ctx.space.encode(t.config)));
      return e;
    });

    const u = ctx.space.params.map((p, d) => {
      const below: number[] = [];
      const above: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = enc[i]![d]!;
        if (!Number.isNaN(v)) (isGood[i] ? below : above).push(v);
      }
      const make = (xs: number[]): Estimator => (isCategorical(p) ? new CategoricalParzen(xs, cardinality(p), this.priorWeight) : new NumericParzen(xs, this.priorWeight));
      const l = make(below);
      const g = make(above);
      let best = NaN;
      let bestScore = -Infinity;
      for (let c = 0; c < this.nCand; c++) {
        const x = l.sample(this.rng);
        const score = l.logPdf(x) - g.logPdf(x);
        if (score > bestScore) {
          bestScore = score;
          best = x;
        }
      }
      return best;
    });
    return ctx.space.decode(u);
  }

  /** Indices of the good set: whole fronts, the last one cut by greedy hypervolume contribution. */
  private splitGood(points: number[][], violations: number[], k: number): number[] {
    const fronts = leadingFronts(points, violations, k);
    const out: number[] = [];
    for (const front of fronts) {
      if (out.length + front.length <= k) {
        out.push(...front);
        continue;
      }
      const room = k - out.length;
      const feasible = !(violations[front[0]!]! > 0);
      if (!feasible || points[0]!.length > 4) {
        out.push(...front.slice(0, room));
        break;
      }
      const ref = defaultReferencePoint(front.map((i) => points[i]!));
      const chosen: number[] = [];
      const left = [...front];
      while (chosen.length < room) {
        let bestJ = 0;
        let bestHv = -Infinity;
        for (let j = 0; j < left.length; j++) {
          const hv = hypervolume([...chosen, left[j]!].map((i) => points[i]!), ref);
          if (hv > bestHv) {
            bestHv = hv;
            bestJ = j;
          }
        }
        chosen.push(left.splice(bestJ, 1)[0]!);
      }
      out.push(...chosen);
      break;
    }
    return out;
  }

  tell(): void {}

  state(): SamplerState {
    return { kind: this.name, rng: [...this.rng.getState()] };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.rng = SeededRng.fromState(this.seed, state.rng as number[]);
  }
}
