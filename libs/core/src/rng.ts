import * as prand from 'pure-rand';

/**
 * A seeded random source. Everything random in edgefit (splits, weight
 * initialization, samplers, augmentation) draws from one of these so that a
 * seed reproduces a run exactly. xoroshiro128+ via pure-rand.
 */
export class SeededRng {
  private gen: prand.RandomGenerator;

  constructor(readonly seed: number) {
    this.gen = prand.xoroshiro128plus(seed | 0);
  }

  /** Uniform float in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** 32 random bits; the generator is private, so mutating it in place is safe and fast. */
  private nextUint32(): number {
    return this.gen.unsafeNext() >>> 0;
  }

  /** The generator state, to save and restore a stream exactly. */
  getState(): readonly number[] {
    return this.gen.getState();
  }

  static fromState(seed: number, state: readonly number[]): SeededRng {
    const rng = new SeededRng(seed);
    rng.gen = prand.xoroshiro128plus.fromState(state);
    return rng;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Standard normal sample (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A child generator with its own stream, derived deterministically. */
  fork(label: string): SeededRng {
    let h = this.seed | 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x9e3779b1);
    return new SeededRng(h ^ (h >>> 16));
  }
}
