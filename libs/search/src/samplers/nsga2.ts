import { SeededRng } from '@edgefit/core';
import type { Config } from '../space/params.js';
import { isCategorical } from '../space/params.js';
import { constrainedDominates, crowdingDistance, nonDominatedSort, rankOrder } from '../pareto/dominance.js';
import { samplePoint } from '../space/sample.js';
import { assertKind, observations, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

export interface Nsga2Options {
  seed?: number;
  populationSize?: number;
  crossoverProb?: number;
  /** SBX distribution index (larger = children nearer their parents). */
  etaCrossover?: number;
  /** Polynomial-mutation distribution index. */
  etaMutation?: number;
  /** Per-gene mutation probability; default 1/d. */
  mutationProb?: number;
}

/**
 * NSGA-II (Deb et al. 2002) on the unit cube, generational and resumable.
 * Generation g is the g-th block of `populationSize` asks. Its parents are
 * chosen when its first child is asked: elitist survival (constrained
 * non-dominated sort, then crowding distance) over the previous parents and
 * the completed children of generation g-1. Children come from binary
 * tournaments, SBX crossover and polynomial mutation on numeric genes, and
 * uniform crossover plus resampling on categorical ones. State: the random
 * stream, the parents' trial numbers and the current generation's members.
 */
export class Nsga2Sampler implements Sampler {
  readonly name = 'nsga2';
  private rng: SeededRng;
  private readonly seed: number;
  private readonly pop: number;
  private readonly pc: number;
  private readonly etaC: number;
  private readonly etaM: number;
  private readonly pm?: number;
  private asked = 0;
  private parents: number[] = [];
  private members: number[] = [];
  private generation = 0;

  constructor(opts: Nsga2Options = {}) {
    this.seed = opts.seed ?? 0;
    this.rng = new SeededRng(this.seed);
    this.pop = opts.populationSize ?? 20;
    this.pc = opts.crossoverProb ?? 0.9;
    this.etaC = opts.etaCrossover ?? 15;
    this.etaM = opts.etaMutation ?? 20;
    if (opts.mutationProb !== undefined) this.pm = opts.mutationProb;
  }

  get options() {
    return { seed: this.seed, populationSize: this.pop, crossoverProb: this.pc, etaCrossover: this.etaC, etaMutation: this.etaM, ...(this.pm !== undefined ? { mutationProb: this.pm } : {}) };
  }

  ask(ctx: SamplerContext): Config {
    const gen = Math.floor(this.asked / this.pop);
    if (gen !== this.generation) this.nextGeneration(ctx, gen);
    this.asked++;
    this.members.push(ctx.nextNumber);
    const obs = observations(ctx);
    const byNumber = new Map(obs.trials.map((t, i) => [t.number, i]));
    const parentIdx = this.parents.map((n) => byNumber.get(n)).filter((i): i is number => i !== undefined);
    if (parentIdx.length < 2) return ctx.space.decode(samplePoint(ctx.space.dims, this.rng));

    // Rank and crowding of the parents, for the tournaments.
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
    const tournament = (): number => {
      const a = this.rng.int(0, pts.length - 1);
      const b = this.rng.int(0, pts.length - 1);
      if (constrainedDominates(pts[a]!, vio[a]!, pts[b]!, vio[b]!)) return a;
      if (constrainedDominates(pts[b]!, vio[b]!, pts[a]!, vio[a]!)) return b;
      if (rank[a] !== rank[b]) return rank[a]! < rank[b]! ? a : b;
      return crowd[a]! >= crowd[b]! ? a : b;
    };
    const p1 = ctx.space.encode(obs.trials[parentIdx[tournament()]!]!.config);
    const p2 = ctx.space.encode(obs.trials[parentIdx[tournament()]!]!.config);
    return ctx.space.decode(this.child(ctx, p1, p2));
  }

  private child(ctx: SamplerContext, p1: number[], p2: number[]): number[] {
    const d = ctx.space.dims;
    const pm = this.pm ?? 1 / Math.max(d, 1);
    const cross = this.rng.next() < this.pc;
    const out = new Array<number>(d);
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
      else x = this.sbx(a, b);
      if (this.rng.next() < pm) x = categorical ? this.rng.next() : this.mutate(x);
      out[i] = Math.min(Math.max(x, 0), 1);
    }
    return out;
  }

  /** Simulated binary crossover on [0,1] (bounded form, Deb & Agrawal 1995); returns one child. */
  private sbx(a: number, b: number): number {
    const u = this.rng.next();
    const swap = this.rng.next() < 0.5;
    if (Math.abs(a - b) < 1e-14) return a;
    const y1 = Math.min(a, b);
    const y2 = Math.max(a, b);
    const e = this.etaC + 1;
    const spread = (beta: number) => {
      const alpha = 2 - Math.pow(beta, -e);
      const bq = u <= 1 / alpha ? Math.pow(u * alpha, 1 / e) : Math.pow(1 / (2 - u * alpha), 1 / e);
      return bq;
    };
    const c1 = 0.5 * (y1 + y2 - spread(1 + (2 * y1) / (y2 - y1)) * (y2 - y1));
    const c2 = 0.5 * (y1 + y2 + spread(1 + (2 * (1 - y2)) / (y2 - y1)) * (y2 - y1));
    return swap ? c2 : c1;
  }

  /** Polynomial mutation on [0,1] (Deb & Goyal 1996, bounded). */
  private mutate(x: number): number {
    const u = this.rng.next();
    const e = this.etaM + 1;
    const d1 = x;
    const d2 = 1 - x;
    let dq: number;
    if (u < 0.5) dq = Math.pow(2 * u + (1 - 2 * u) * Math.pow(1 - d1, e), 1 / e) - 1;
    else dq = 1 - Math.pow(2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, e), 1 / e);
    return x + dq;
  }

  /** Elitist survival: best `pop` of parents ∪ completed members of the last generation. */
  private nextGeneration(ctx: SamplerContext, gen: number): void {
    const obs = observations(ctx);
    const pool = new Set([...this.parents, ...this.members]);
    const idx = obs.trials.map((t, i) => (pool.has(t.number) ? i : -1)).filter((i) => i >= 0);
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
    return { kind: this.name, rng: [...this.rng.getState()], asked: this.asked, parents: [...this.parents], members: [...this.members], generation: this.generation };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.rng = SeededRng.fromState(this.seed, state.rng as number[]);
    this.asked = state.asked as number;
    this.parents = [...(state.parents as number[])];
    this.members = [...(state.members as number[])];
    this.generation = state.generation as number;
  }
}
