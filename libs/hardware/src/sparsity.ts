import type { HardwareProfile } from './profile-schema.js';
import type { WeightMatrix } from './weight-matrix.js';

/**
 * Weight sparsity and what a device makes of it. Structured pruning removes
 * whole channels, so the graph itself is smaller and every device gains. Zeros
 * left inside dense tensors (unstructured, or N:M patterns) only save work on
 * hardware that skips them; everywhere else they are multiplied like any value.
 */

/** Share of weights that are exactly zero (after zero-point removal). */
export function zeroFraction(w: WeightMatrix): number {
  if (w.values.length === 0) return 0;
  let zeros = 0;
  for (const v of w.values) if (v === 0) zeros++;
  return zeros / w.values.length;
}

/** True when every run of m consecutive weights along the reduction axis holds at most n non-zeros. */
export function satisfiesNM(w: WeightMatrix, n: number, m: number): boolean {
  if (w.rowLength % m !== 0) return false;
  for (let r = 0; r < w.rows; r++) {
    const base = r * w.rowLength;
    for (let g = 0; g < w.rowLength; g += m) {
      let nonZero = 0;
      for (let j = 0; j < m; j++) if (w.values[base + g + j] !== 0) nonZero++;
      if (nonZero > n) return false;
    }
  }
  return true;
}

export interface SparsityEffect {
  /** Multiplier on the MACs the device performs. */
  macFactor: number;
  /** Multiplier on the weight bytes it moves (compressed storage with indices). */
  weightByteFactor: number;
  /** Measured share of zero weights. */
  zeroFraction: number;
  exploited: boolean;
}

/** Index bits per kept weight when the profile does not say: 4-bit relative indices as in EIE (Han et al., ISCA 2016). */
const DEFAULT_INDEX_BITS = 4;

export function sparsityEffect(profile: HardwareProfile, w: WeightMatrix | null, weightBits: number): SparsityEffect {
  const none = { macFactor: 1, weightByteFactor: 1, zeroFraction: 0, exploited: false };
  if (!w) return none;
  const z = zeroFraction(w);
  const s = profile.sparsity;
  const efficiency = s.efficiency ?? 1;
  const bitsPerWeight = Math.max(weightBits, 1);
  if (s.kind === 'nm' && s.n !== undefined && s.m !== undefined) {
    if (!satisfiesNM(w, s.n, s.m)) return { ...none, zeroFraction: z };
    const kept = s.n / s.m;
    const indexBits = s.indexBits ?? Math.ceil(Math.log2(s.m));
    return {
      macFactor: 1 - (1 - kept) * efficiency,
      weightByteFactor: Math.min(1, kept * (1 + indexBits / bitsPerWeight)),
      zeroFraction: z,
      exploited: true,
    };
  }
  if (s.kind === 'unstructured' && z > 0) {
    const indexBits = s.indexBits ?? DEFAULT_INDEX_BITS;
    return {
      macFactor: 1 - z * efficiency,
      weightByteFactor: Math.min(1, (1 - z) * (1 + indexBits / bitsPerWeight)),
      zeroFraction: z,
      exploited: true,
    };
  }
  return { ...none, zeroFraction: z };
}
