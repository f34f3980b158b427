/**
 * Unstructured magnitude pruning (Han et al. 2015): the weights of smallest
 * |w| go to zero. Exactly round(sparsity · n) weights are selected — ties are
 * broken by position, so the achieved sparsity is the requested one, not
 * "at least" it as a threshold comparison would give.
 *
 * A mask holds 1 for kept weights and 0 for pruned ones (the form the
 * trainer's `mask` option takes).
 */

/** Positions of the k smallest |values[i]|, ties by position. */
function smallest(magnitudes: Float64Array, k: number): Uint32Array {
  const order = new Uint32Array(magnitudes.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => magnitudes[a]! - magnitudes[b]! || a - b);
  return order.subarray(0, k);
}

export function pruneCount(sparsity: number, n: number): number {
  return Math.min(n, Math.max(0, Math.round(sparsity * n)));
}

/** Layer-wise: the mask pruning round(sparsity · n) weights of one tensor. */
export function layerMagnitudeMask(values: Float32Array, sparsity: number): Float32Array {
  const mask = new Float32Array(values.length).fill(1);
  const mags = Float64Array.from(values, Math.abs);
  for (const i of smallest(mags, pruneCount(sparsity, values.length))) mask[i] = 0;
  return mask;
}

/**
 * Global: one magnitude ranking over all tensors, so layers with many small
 * weights lose more (the usual result: fc layers end sparser than convs).
 */
export function globalMagnitudeMasks(tensors: readonly Float32Array[], sparsity: number): Float32Array[] {
  const total = tensors.reduce((n, t) => n + t.length, 0);
  const mags = new Float64Array(total);
  const owner = new Uint32Array(total);
  const offsets: number[] = [];
  let o = 0;
  tensors.forEach((t, ti) => {
    offsets.push(o);
    for (let i = 0; i < t.length; i++, o++) {
      mags[o] = Math.abs(t[i]!);
      owner[o] = ti;
    }
  });
  const masks = tensors.map((t) => new Float32Array(t.length).fill(1));
  for (const g of smallest(mags, pruneCount(sparsity, total))) masks[owner[g]!]![g - offsets[owner[g]!]!] = 0;
  return masks;
}

/** Zero the masked weights (+0, never −0, so a packed model sees plain zeros). */
export function applyMask(values: Float32Array, mask: Float32Array): Float32Array {
  const out = Float32Array.from(values);
  for (let i = 0; i < out.length; i++) if (mask[i] === 0) out[i] = 0;
  return out;
}

/** Logical AND of two masks (a weight pruned in an earlier step stays pruned). */
export function combineMasks(a: Float32Array | undefined, b: Float32Array): Float32Array {
  if (!a) return b;
  return Float32Array.from(b, (v, i) => (v !== 0 && a[i] !== 0 ? 1 : 0));
}
