import { UserInputError } from '@edgefit/core';
import { dominates } from './dominance.js';

/**
 * Exact hypervolume (minimization) of the region dominated by `points` and
 * bounded by `ref`. Points that do not strictly dominate the reference point
 * add nothing and are dropped. 2-D: sort-and-sweep, O(n log n). Higher
 * dimensions: HSO slicing (While et al. 2006) — sort by the last objective and
 * sum slabs of the (d-1)-D volume; exact, fine for the front sizes here
 * (4-D with 100 points: a few ms).
 */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const d = ref.length;
  for (const p of points) if (p.length !== d) throw new UserInputError(`hypervolume: a point has ${p.length} objectives, the reference point ${d}`);
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]!));
  if (!inside.length) return 0;
  if (d === 1) return ref[0]! - Math.min(...inside.map((p) => p[0]!));
  // Dominated points do not change the volume (the 2-D sweep skips them); dropping
  // them first only pays off in the slicing recursion of 3-D and up.
  return hv(d === 2 ? inside : nondominated(inside), ref);
}

function nondominated(points: readonly (readonly number[])[]): (readonly number[])[] {
  return points.filter((p, i) => !points.some((q, j) => j !== i && (dominates(q, p) || (j < i && q.every((v, k) => v === p[k])))));
}

function hv(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const d = ref.length;
  if (d === 2) return hv2(points, ref);
  const last = d - 1;
  const sorted = [...points].sort((a, b) => a[last]! - b[last]!);
  const subRef = ref.slice(0, last);
  let volume = 0;
  const slice: (readonly number[])[] = [];
  for (let i = 0; i < sorted.length; i++) {
    slice.push(sorted[i]!.slice(0, last));
    const depth = (i + 1 < sorted.length ? sorted[i + 1]![last]! : ref[last]!) - sorted[i]![last]!;
    if (depth > 0) volume += depth * hv(subRef.length > 2 ? nondominated(slice) : slice, subRef);
  }
  return volume;
}

function hv2(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let area = 0;
  let bestY = ref[1]!;
  for (const p of sorted) {
    if (p[1]! < bestY) {
      area += (ref[0]! - p[0]!) * (bestY - p[1]!);
      bestY = p[1]!;
    }
  }
  return area;
}

/** Exclusive contribution of each point: HV(all) − HV(all without it). */
export function hypervolumeContributions(points: readonly (readonly number[])[], ref: readonly number[]): number[] {
  const total = hypervolume(points, ref);
  return points.map((_, i) => total - hypervolume(points.filter((__, j) => j !== i), ref));
}

/**
 * A reference point when none is given: the nadir of the points pushed out by
 * `margin` of the range (at least `margin` absolute), so extremes count.
 */
export function defaultReferencePoint(points: readonly (readonly number[])[], margin = 0.1): number[] {
  const d = points[0]?.length ?? 0;
  const ref: number[] = [];
  for (let k = 0; k < d; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, p[k]!);
      hi = Math.max(hi, p[k]!);
    }
    ref.push(hi + Math.max((hi - lo) * margin, Math.abs(hi) * 1e-9, 1e-12));
  }
  return ref;
}
