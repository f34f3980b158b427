import type { ReductionLayout } from './prunable-layers.js';

/**
 * N:M semi-structured sparsity (e.g. 2:4, as NVIDIA's sparse tensor cores
 * run it): within every group of M consecutive weights of one output unit's
 * reduction, only the N of largest |w| survive (ties by position). A trailing
 * group shorter than M keeps at most N as well.
 */
export function nmMask(values: Float32Array, layout: ReductionLayout, n: number, m: number): Float32Array {
  const mask = new Float32Array(values.length);
  const group: number[] = [];
  for (let u = 0; u < layout.units; u++) {
    for (let start = 0; start < layout.length; start += m) {
      group.length = 0;
      for (let r = start; r < Math.min(start + m, layout.length); r++) group.push(layout.index(u, r));
      group.sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
      for (let j = 0; j < Math.min(n, group.length); j++) mask[group[j]!] = 1;
    }
  }
  return mask;
}

/** Largest count of nonzeros in any group of M (what a test checks against N). */
export function maxNonzerosPerGroup(values: Float32Array, layout: ReductionLayout, m: number): number {
  let worst = 0;
  for (let u = 0; u < layout.units; u++) {
    for (let start = 0; start < layout.length; start += m) {
      let nz = 0;
      for (let r = start; r < Math.min(start + m, layout.length); r++) if (values[layout.index(u, r)] !== 0) nz++;
      worst = Math.max(worst, nz);
    }
  }
  return worst;
}
