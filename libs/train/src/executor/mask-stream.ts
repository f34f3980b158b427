import type { SeededRng } from '@edgefit/core';

/**
 * Uniform floats for dropout masks. A mask needs tens of thousands of values
 * per step, so each request takes one 32-bit seed from the SeededRng and
 * expands it with mulberry32 (fast, and still fully determined by the seed).
 */
export class MaskStream {
  constructor(private readonly rng: SeededRng) {}

  uniform(count: number): Float32Array {
    let s = this.rng.int(0, 0xffffffff) >>> 0;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    return out;
  }
}
