import { SeededRng } from '@edgefit/core';
import { cardinality, type Config, type ParamSpec } from '../space/params.js';
import { assertKind, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

export interface GridOptions {
  /** Points per float axis (and per int axis with more values than this). Default 5. */
  pointsPerAxis?: number;
  /** Visit the grid in a seeded pseudo-random order (good anytime behaviour). Default true. */
  shuffle?: boolean;
  seed?: number;
}

/**
 * Full factorial grid. The grid can be huge (5^10), so it is never listed:
 * point k is a mixed-radix number, and the visiting order is the affine
 * permutation k ↦ (a·k + b) mod N with gcd(a, N) = 1 — a seeded shuffle with
 * O(1) state. Points that collapse to an already-tried config (inactive
 * conditional params) are skipped; after the whole grid it starts over (the
 * study's config cache then answers).
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  private k = 0;
  private a = 1;
  private b = 0;
  private total = -1;
  private readonly per: number;
  private readonly shuffle: boolean;
  private readonly seed: number;

  constructor(opts: GridOptions = {}) {
    this.per = opts.pointsPerAxis ?? 5;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
  }

  get options() {
    return { seed: this.seed, pointsPerAxis: this.per, shuffle: this.shuffle };
  }

  private axis(p: ParamSpec): number[] {
    const n = cardinality(p);
    if (n <= this.per) return Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    return Array.from({ length: this.per }, (_, i) => (this.per === 1 ? 0.5 : i / (this.per - 1)));
  }

  private init(axes: number[][]): void {
    if (this.total >= 0) return;
    this.total = axes.reduce((s, a) => s * a.length, 1);
    if (this.shuffle && this.total > 1) {
      const rng = new SeededRng(this.seed);
      const n = this.total;
      do this.a = rng.int(1, n - 1);
      while (gcd(this.a, n) !== 1);
      this.b = rng.int(0, n - 1);
    }
  }

  ask(ctx: SamplerContext): Config {
    const axes = ctx.space.params.map((p) => this.axis(p));
    this.init(axes);
    const seen = new Set(ctx.trials.map((t) => t.configHash));
    let first: Config | undefined;
    for (let tries = 0; tries < this.total; tries++) {
      let idx = Number((BigInt(this.a) * BigInt(this.k) + BigInt(this.b)) % BigInt(this.total));
      this.k = (this.k + 1) % this.total;
      const u = axes.map((axis) => {
        const v = axis[idx % axis.length]!;
        idx = Math.floor(idx / axis.length);
        return v;
      });
      const config = ctx.space.decode(u);
      first ??= config;
      if (!seen.has(ctx.space.hash(config))) return config;
    }
    return first!;
  }

  tell(): void {}

  state(): SamplerState {
    return { kind: this.name, k: this.k, a: this.a, b: this.b, total: this.total };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.k = state.k as number;
    this.a = state.a as number;
    this.b = state.b as number;
    this.total = state.total as number;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
