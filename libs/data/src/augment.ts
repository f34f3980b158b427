import type { SeededRng } from '@edgefit/core';

/**
 * Random shift augmentation: each sample of an NCHW batch moves by (dx, dy),
 * both drawn uniformly from [-maxShift, maxShift] with the seeded rng; pixels
 * shifted in from outside are zero. Returns a new array.
 */
export function randomShift(x: Float32Array, shape: readonly [number, number, number, number], maxShift: number, rng: SeededRng): Float32Array {
  const [n, c, h, w] = shape;
  if (x.length !== n * c * h * w) throw new RangeError(`randomShift: ${x.length} values for shape [${shape.join(', ')}]`);
  if (!Number.isInteger(maxShift) || maxShift < 0) throw new RangeError(`randomShift: maxShift must be a non-negative integer, got ${maxShift}`);
  const out = new Float32Array(x.length);
  for (let s = 0; s < n; s++) {
    const dx = rng.int(-maxShift, maxShift);
    const dy = rng.int(-maxShift, maxShift);
    shiftSample(x, out, s * c * h * w, c, h, w, dx, dy);
  }
  return out;
}

/** Copy one sample shifted by (dx, dy) into `out` (which is zero-filled). */
function shiftSample(x: Float32Array, out: Float32Array, base: number, c: number, h: number, w: number, dx: number, dy: number): void {
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  if (x1 <= x0) return;
  for (let ch = 0; ch < c; ch++) {
    const plane = base + ch * h * w;
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      const src = plane + (y - dy) * w + (x0 - dx);
      out.set(x.subarray(src, src + (x1 - x0)), plane + y * w + x0);
    }
  }
}
