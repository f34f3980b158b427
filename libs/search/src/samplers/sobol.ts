import { SeededRng, UserInputError } from '@edgefit/core';
import type { Config } from '../space/params.js';
import { JOE_KUO, SOBOL_MAX_DIMS } from './sobol-directions.js';
import { assertKind, type Sampler, type SamplerContext, type SamplerState } from './sampler.js';

const BITS = 32;

/** 32 direction numbers per dimension (Bratley & Fox recurrence on the Joe–Kuo initial values). */
function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS + 1); // 1-based
  const [poly, m] = JOE_KUO[dim]!;
  const s = Math.max(Math.floor(Math.log2(poly)), 0);
  if (s === 0) {
    for (let k = 1; k <= BITS; k++) v[k] = (1 << (BITS - k)) >>> 0;
    return v;
  }
  const a = (poly >> 1) & ((1 << (s - 1)) - 1);
  for (let k = 1; k <= Math.min(s, BITS); k++) v[k] = (m[k - 1]! << (BITS - k)) >>> 0;
  for (let k = s + 1; k <= BITS; k++) {
    let x = (v[k - s]! ^ (v[k - s]! >>> s)) >>> 0;
    for (let i = 1; i < s; i++) if ((a >> (s - 1 - i)) & 1) x = (x ^ v[k - i]!) >>> 0;
    v[k] = x;
  }
  return v;
}

export interface SobolOptions {
  seed?: number;
  /** Random digital shift (XOR per dimension, drawn from the seed): keeps the net structure, removes the all-zero first point. Default true. */
  scramble?: boolean;
  /** Points to skip at the start. Default: 0 when scrambled, else a seeded count in [1, 1024]. */
  skip?: number;
}

/**
 * Sobol low-discrepancy sequence: covers the cube far more evenly than random
 * for the same budget. Point n is computed directly from its Gray code, so
 * the state is only the next index.
 */
export class SobolSampler implements Sampler {
  readonly name = 'sobol';
  private index: number;
  private readonly skip: number;
  private readonly seed: number;
  private readonly scramble: boolean;
  private dirs: Uint32Array[] = [];
  private shifts: number[] = [];

  constructor(opts: SobolOptions = {}) {
    this.seed = opts.seed ?? 0;
    this.scramble = opts.scramble ?? true;
    this.skip = opts.skip ?? (this.scramble ? 0 : new SeededRng(this.seed).fork('skip').int(1, 1024));
    this.index = this.skip;
  }

  get options() {
    return { seed: this.seed, scramble: this.scramble, skip: this.skip };
  }

  private prepare(dims: number): void {
    if (dims > SOBOL_MAX_DIMS) throw new UserInputError(`sobol sampler supports up to ${SOBOL_MAX_DIMS} parameters, the space has ${dims}`);
    if (this.dirs.length >= dims) return;
    const rng = new SeededRng(this.seed).fork('shift');
    this.dirs = Array.from({ length: dims }, (_, d) => directions(d));
    this.shifts = Array.from({ length: dims }, () => (this.scramble ? Math.floor(rng.next() * 2 ** 32) >>> 0 : 0));
  }

  /** The n-th point (0-based) of the sequence in `dims` dimensions. */
  point(n: number, dims: number): number[] {
    this.prepare(dims);
    const gray = (n ^ (n >>> 1)) >>> 0;
    const out = new Array<number>(dims);
    for (let d = 0; d < dims; d++) {
      const v = this.dirs[d]!;
      let x = 0;
      for (let k = 1, g = gray; g; k++, g >>>= 1) if (g & 1) x = (x ^ v[k]!) >>> 0;
      out[d] = ((x ^ this.shifts[d]!) >>> 0) / 2 ** 32;
    }
    return out;
  }

  ask(ctx: SamplerContext): Config {
    return ctx.space.decode(this.point(this.index++, ctx.space.dims));
  }

  tell(): void {}

  state(): SamplerState {
    return { kind: this.name, index: this.index };
  }

  restore(state: SamplerState): void {
    assertKind(state, this.name);
    this.index = state.index as number;
  }
}
