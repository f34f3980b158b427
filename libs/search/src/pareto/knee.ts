/**
 * Knee-point recommendation on a front (minimization form): normalize every
 * objective to [0,1] over the front, take the hyperplane through the extreme
 * points (best in each objective), and pick the point farthest from it on the
 * ideal side — the point where trading one objective for another stops paying.
 * Falls back to the point nearest the ideal point when the extremes do not
 * span a hyperplane (e.g. duplicate extremes). Returns an index into `front`.
 */
export function kneePoint(front: readonly (readonly number[])[]): number {
  if (front.length <= 2) return 0;
  const m = front[0]!.length;
  const lo = Array.from({ length: m }, (_, k) => Math.min(...front.map((p) => p[k]!)));
  const hi = Array.from({ length: m }, (_, k) => Math.max(...front.map((p) => p[k]!)));
  const norm = front.map((p) => p.map((v, k) => (hi[k]! > lo[k]! ? (v - lo[k]!) / (hi[k]! - lo[k]!) : 0)));
  const extremes = Array.from({ length: m }, (_, k) => {
    let best = 0;
    for (let i = 1; i < norm.length; i++) {
      const a = norm[i]!;
      const b = norm[best]!;
      if (a[k]! < b[k]! || (a[k] === b[k] && sum(a) < sum(b))) best = i;
    }
    return norm[best]!;
  });
  // Hyperplane n·x = 1 through the m extremes.
  const normal = solve(extremes, new Array<number>(m).fill(1));
  if (normal && normal.every(Number.isFinite)) {
    const len = Math.hypot(...normal);
    let best = 0;
    let bestDist = -Infinity;
    norm.forEach((p, i) => {
      const d = (1 - dot(normal, p)) / len; // positive on the side of the ideal point (origin)
      if (d > bestDist + 1e-12) {
        bestDist = d;
        best = i;
      }
    });
    return best;
  }
  let best = 0;
  norm.forEach((p, i) => {
    if (Math.hypot(...p) < Math.hypot(...norm[best]!)) best = i;
  });
  return best;
}

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** Gaussian elimination with partial pivoting; undefined when singular. */
function solve(rows: readonly (readonly number[])[], rhs: readonly number[]): number[] | undefined {
  const n = rhs.length;
  const a = rows.map((r, i) => [...r, rhs[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return undefined;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((r, i) => r[n]! / r[i]!);
}
