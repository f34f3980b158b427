import { SeededRng } from '@edgefit/core';
import type { Config } from '../space/params.js';
import { isCategorical } from '../space/params.js';
import { crowdingDistance, nonDominatedSort, rankOrder } from '../pareto/dominance.js';
import { samplePoint } from '../space/sample.js';
import { SobolSampler } from './sobol.js';
import { SOBOL_MAX_DIMS } from './sobol-directions.js';
import { categoricalMutation, polynomialMutation, sbx } from './variation.js';
import { askedConfigs, assertKind, observations, type Observations, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

export interface Nsga2Options {
  seed?: number;
  populationSize?: number;
  /** Size of generation 0 (the space-filling design); default `populationSize`. */
  initialSize?: number;
  crossoverProb?: number;
  /** SBX distribution index (larger = children nearer their parents). */
  etaCrossover?: number;
  /** Polynomial-mutation distribution index. */
  etaMutation?: number;
  /** Per-gene mutation probability; default 1/d. */
  mutationProb?: number;
}

/** Children tried before giving up on a new config and taking a fresh space-filling point instead. */
const CHILD_ATTEMPTS = 32;
/** Space-filling points tried before accepting an already-asked config (a nearly exhausted discrete space). */
const FRESH_ATTEMPTS = 256;

/**
 * NSGA-II (Deb et al. 2002) on the unit cube, generational and resumable,
 * made for budgets of a few generations:
 *
 * - Generation 0 is a scrambled Sobol design, not uniform draws: with 10–20
 *   points in 5–10 dimensions, random points leave whole regions (and
 *   categorical combinations) unvisited that a low-discrepancy set covers.
 * - No config is asked twice. The study would only copy the earlier result,
 *   so a duplicate is a wasted trial; in spaces with conditional and
 *   categorical knobs (a pass switched off hides its parameters) plain
 *   NSGA-II children repeat a parent a third of the time or more. A
 *   duplicate child is discarded and bred again with at least one mutated
 *   gene; after `CHILD_ATTEMPTS` the next unseen Sobol point is taken.
 * - Mutation is per gene with probability 1/d; an unordered gene always
 *   moves to a different value (see `categoricalMutation`), an ordered one by
 *   polynomial mutation; crossover is SBX on ordered genes and uniform on
 *   unordered ones.
 *
 * Parents of generation g are chosen when its first child is asked: elitist
 * survival (constrained non-dominated sort, then crowding distance) over the
 * previous parents and the completed children of generation g-1; mates are
 * picked by crowded binary tournaments (rank, then crowding distance).
 * State: the random stream, the Sobol index, the parents' trial numbers and
 * the current generation's members.
 */
export class Nsga2Sampler implements Sampler {
  readonly name = 'nsga2';
  private rng: SeededRng;
  private readonly seed: number;
  private readonly pop: number;
  private readonly initial: number;
  private readonly pc: number;
  private readonly etaC: number;
  private readonly etaM: number;
  private readonly pm?: number;
  private readonly sobol: SobolSampler;
  private sobolIndex = 0;
  private asked = 0;
  private parents: number[] = [];
  private members: number[] = [];
  private generation = 0;

  constructor(opts: Nsga2Options = {}) {
    this.seed = opts.seed ?? 0;
    this.rng = new SeededRng(this.seed);
    this.pop = opts.populationSize ?? 20;
    this.initial = opts.initialSize ?? this.pop;
    this.pc = opts.crossoverProb ?? 0.9;
    this.etaC = opts.etaCrossover ?? 15;
    this.etaM = opts.etaMutation ?? 20;
    if (opts.mutationProb !== undefined) this.pm = opts.mutationProb;
    this.sobol = new SobolSampler({ seed: this.seed });
  }

  get options() {
    return {
      seed: this.seed,
      populationSize: this.pop,
      initialSize: this.initial,
      crossoverProb: this.pc,
      etaCrossover: this.etaC,
      etaMutation: this.etaM,
      ...(this.pm !== undefined ? { mutationProb: this.pm } : {}),
    };
  }

  private generationOf(asked: number): number {
    return asked < this.initial ? 0 : 1 + Math.floor((asked - this.initial) / this.pop);
  }

  ask(ctx: SamplerContext): Config {
    const gen = this.generationOf(this.asked);
    if (gen !== this.generation) this.nextGeneration(ctx, gen);
    this.asked++;
    this.members.push(ctx.nextNumber);
    const seen = askedConfigs(ctx);
    const obs = observations(ctx);
    const byNumber = new Map(obs.trials.map((t, i) => [t.number, i]));
    const parentIdx = this.parents.map((n) => byNumber.get(n)).filter((i): i is number => i !== undefined);
    if (gen === 0 || parentIdx.length < 2) return this.fresh(ctx, seen);

    const tournament = this.tournament(obs, parentIdx);
    for (let attempt = 0; attempt < CHILD_ATTEMPTS; attempt++) {
      const p1 = ctx.space.encode(obs.trials[tournament()]!.config);
      const p2 = ctx.space.encode(obs.trials[tournament()]!.config);
      const config = ctx.space.decode(this.child(ctx, p1, p2, attempt > 0));
      if (!seen.has(ctx.space.hash(config))) return config;
    }
    return this.fresh(ctx, seen);
  }

  /** The next Sobol point whose config was not asked yet (or, in an exhausted space, the last one tried); uniform beyond Sobol's dimensions. */
  private fresh(ctx: SamplerContext, seen: Set<string>): Config {
    const dims = ctx.space.dims;
    let config: Config = {};
    for (let attempt = 0; attempt < FRESH_ATTEMPTS; attempt++) {
      config = ctx.space.decode(dims <= SOBOL_MAX_DIMS ? this.sobol.point(this.sobolIndex++, dims) : samplePoint(dims, this.rng));
      if (!seen.has(ctx.space.hash(config))) break;
    }
    return config;
  }

  /** Crowded binary tournament over the parents: lower constrained front first, then larger crowding distance. Returns an index into `obs`. */
  private tournament(obs: Observations, parentIdx: number[]): () => number {
    const pts = parentIdx.map((i) => obs.points[i]!);
    const vio = parentIdx.map((i) => obs.violations[i]!);
    const rank = new Array<number>(pts.length);
    const crowd = new Array<number>(pts.length);
    nonDominatedSort(pts, vio).forEach((front, r) => {
      const cd = crowdingDistance(pts, front);
      for (const i of front) {
        rank[i] = r;
        crowd[i] = cd.get(i)!;
      }
    });
    return () => {
      const a = this.rng.int(0, pts.length - 1);
      const b = this.rng.int(0, pts.length - 1);
      const winner = rank[a] !== rank[b] ? (rank[a]! < rank[b]! ? a : b) : crowd[a]! >= crowd[b]! ? a : b;
      return parentIdx[winner]!;
    };
  }

  /** One child of two encoded parents; `force` mutates at least one gene that is active in the child. */
  private child(ctx: SamplerContext, p1: number[], p2: number[], force: boolean): number[] {
    const d = ctx.space.dims;
    const pm = this.pm ?? 1 / Math.max(d, 1);
    const cross = this.rng.next() < this.pc;
    const out = new Array<number>(d);
    let mutated = false;
    for (let i = 0; i < d; i++) {
      // Inactive genes (NaN) take the other parent's value, or a fresh one.
      let a = p1[i]!;
      let b = p2[i]!;
      if (Number.isNaN(a)) a = Number.isNaN(b) ? this.rng.next() : b;
      if (Number.isNaN(b)) b = a;
      const categorical = isCategorical(ctx.space.params[i]!);
      let x: number;
      if (!cross) x = a;
      else if (categorical) x = this.rng.next() < 0.5 ? a : b;
      else x = sbx(a, b, this.etaC, this.rng);
      if (this.rng.next() < pm) {
        x = this.mutateGene(ctx, i, x);
        mutated = true;
      }
      out[i] = Math.min(Math.max(x, 0), 1);
    }
    if (force && !mutated) {
      const config = ctx.space.decode(out);
      const active = ctx.space.params.map((p, i) => (p.name in config ? i : -1)).filter((i) => i >= 0);
      const i = active[this.rng.int(0, active.length - 1)]!;
      out[i] = this.mutateGene(ctx, i, out[i]!);
    }
    return out;
  }

  private mutateGene(ctx: SamplerContext, i: number, x: number): number {
    const p = ctx.space.params[i]!;
    return isCategorical(p) ? categoricalMutation(x, p, this.rng) : polynomialMutation(x, this.etaM, this.rng);
  }

  /** Elitist survival: best `pop` of parents ∪ completed members of the last generation (copies of earlier results left out). */
  private nextGeneration(ctx: SamplerContext, gen: number): void {
    const obs = observations(ctx);
    const pool = new Set([...this.parents, ...this.members]);
    const idx = obs.trials.map((t, i) => (pool.has(t.number) && t.cachedFrom === undefined ? i : -1)).filter((i) => i >= 0);
    const order = rankOrder(
      idx.map((i) => obs.points[i]!),
      idx.map((i) => obs.violations[i]!),
    );
    this.parents = order.slice(0, this.pop).map((k) => obs.trials[idx[k]!]!.number);
    this.members = [];
    this.generation = gen;
  }

  tell(): void {}

  state(): SamplerState {
    return { kind: this.name, rng: [...this.rng.getState()], sobolIndex: this.sobolIndex, asked: this.asked, parents: [...this.parents], members: [...this.members], generation: this.generation };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.rng = SeededRng.fromState(this.seed, state.rng as number[]);
    this.sobolIndex = (state.sobolIndex as number | undefined) ?? 0;
    this.asked = state.asked as number;
    this.parents = [...(state.parents as number[])];
    this.members = [...(state.members as number[])];
    this.generation = state.generation as number;
  }
}
