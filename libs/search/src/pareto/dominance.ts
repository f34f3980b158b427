/**
 * Pareto dominance with constraints. Everything here works on minimization
 * form: `toMinimization` flips maximized objectives once, so the rest of the
 * code has one comparison direction.
 */
export type Direction = 'minimize' | 'maximize';

export function toMinimization(values: readonly number[], directions: readonly Direction[]): number[] {
  return values.map((v, i) => (directions[i] === 'maximize' ? -v : v));
}

/** Total constraint violation: constraints are `c ≤ 0` when satisfied (Optuna's convention). */
export function violation(constraints: readonly number[] | undefined): number {
  if (!constraints) return 0;
  let s = 0;
  // null (a non-finite value after a JSON round trip) or NaN counts as infinitely violated.
  for (const c of constraints) s += typeof c !== 'number' || Number.isNaN(c) ? Infinity : c > 0 ? c : 0;
  return s;
}

/** a ≺ b: no worse everywhere and better somewhere (minimization). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Deb (2002) constrained domination: feasible beats infeasible; two infeasible compare by total violation. */
export function constrainedDominates(a: readonly number[], va: number, b: readonly number[], vb: number): boolean {
  if (va <= 0 && vb <= 0) return dominates(a, b);
  if (va <= 0) return true;
  if (vb <= 0) return false;
  return va < vb;
}

/**
 * Fast non-dominated sort (Deb et al. 2002) under constrained domination:
 * fronts of indices, best first. Feasible points are sorted by Pareto
 * dominance; infeasible ones follow, one front per distinct violation.
 */
export function nonDominatedSort(points: readonly (readonly number[])[], violations?: readonly number[]): number[][] {
  const feasible: number[] = [];
  const infeasible: number[] = [];
  points.forEach((_, i) => ((violations?.[i] ?? 0) > 0 ? infeasible : feasible).push(i));
  const fronts = paretoFronts(points, feasible);
  infeasible.sort((a, b) => violations![a]! - violations![b]! || a - b);
  for (let k = 0; k < infeasible.length; ) {
    const v = violations![infeasible[k]!]!;
    const front: number[] = [];
    while (k < infeasible.length && violations![infeasible[k]!] === v) front.push(infeasible[k++]!);
    fronts.push(front);
  }
  return fronts;
}

function paretoFronts(points: readonly (readonly number[])[], ids: readonly number[]): number[][] {
  const n = ids.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = points[ids[i]!]!;
      const b = points[ids[j]!]!;
      if (dominates(a, b)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(b, a)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  while (current.length) {
    fronts.push(current.map((i) => ids[i]!));
    const next: number[] = [];
    for (const i of current) for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/** Crowding distance of each member of one front (extremes get Infinity). */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): Map<number, number> {
  const dist = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.length <= 2) {
    for (const i of front) dist.set(i, Infinity);
    return dist;
  }
  const m = points[front[0]!]!.length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
    const lo = points[sorted[0]!]![k]!;
    const hi = points[sorted[sorted.length - 1]!]![k]!;
    dist.set(sorted[0]!, Infinity);
    dist.set(sorted[sorted.length - 1]!, Infinity);
    if (hi === lo) continue;
    for (let j = 1; j < sorted.length - 1; j++) {
      const i = sorted[j]!;
      dist.set(i, dist.get(i)! + (points[sorted[j + 1]!]![k]! - points[sorted[j - 1]!]![k]!) / (hi - lo));
    }
  }
  return dist;
}

/**
 * A total order for "the study's ranking": front rank first, then crowding
 * distance (larger first), then index. Used by NSGA-II survival and by
 * multi-fidelity promotion.
 */
export function rankOrder(points: readonly (readonly number[])[], violations?: readonly number[]): number[] {
  const order: number[] = [];
  for (const front of nonDominatedSort(points, violations)) {
    const cd = crowdingDistance(points, front);
    order.push(...[...front].sort((a, b) => cd.get(b)! - cd.get(a)! || a - b));
  }
  return order;
}

/**
 * The best points under constrained domination, front by front, until at
 * least `need` are collected — what TPE's split needs, without sorting all
 * fronts. Lexicographic order means a later point never dominates an earlier
 * one, so each front is peeled in one pass: O(N·F) instead of O(M·N²).
 */
export function leadingFronts(points: readonly (readonly number[])[], violations: readonly number[], need: number): number[][] {
  const fronts: number[][] = [];
  let count = 0;
  const feasible = points.map((_, i) => i).filter((i) => !(violations[i]! > 0));
  let rest = feasible.sort((a, b) => lexCompare(points[a]!, points[b]!) || a - b);
  while (rest.length && count < need) {
    const front: number[] = [];
    const next: number[] = [];
    for (const i of rest) (front.some((j) => dominates(points[j]!, points[i]!)) ? next : front).push(i);
    fronts.push(front);
    count += front.length;
    rest = next;
  }
  if (count < need) {
    const infeasible = points.map((_, i) => i).filter((i) => violations[i]! > 0);
    infeasible.sort((a, b) => violations[a]! - violations[b]! || a - b);
    for (let k = 0; k < infeasible.length && count < need; ) {
      const v = violations[infeasible[k]!];
      const front: number[] = [];
      while (k < infeasible.length && violations[infeasible[k]!] === v) front.push(infeasible[k++]!);
      fronts.push(front);
      count += front.length;
    }
  }
  return fronts;
}

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
