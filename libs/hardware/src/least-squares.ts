/**
 * Small weighted least squares for calibration fits (a handful of columns):
 * normal equations solved by Gaussian elimination with partial pivoting,
 * columns scaled to unit mean first for conditioning. Kept dependency-free;
 * `solveLeastSquares` is the one place to swap in ml-matrix / simple-statistics.
 */
export function solveLeastSquares(rows: readonly (readonly number[])[], y: readonly number[], weights?: readonly number[], ridge = 0): number[] | null {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  if (p === 0 || (n < p && ridge === 0)) return null;
  const scale = Array.from({ length: p }, (_, j) => {
    const mean = rows.reduce((s, r) => s + Math.abs(r[j]!), 0) / n;
    return mean > 0 ? mean : 1;
  });
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const w = weights?.[i] ?? 1;
    const x = rows[i]!.map((v, j) => v / scale[j]!);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) a[j]![k]! += w * x[j]! * x[k]!;
      a[j]![p]! += w * x[j]! * y[i]!;
    }
  }
  // ridge: on the unit-scaled columns, a penalty of `ridge` × total weight per coefficient — it
  // splits the load between columns that always move together instead of failing on them
  const totalWeight = weights ? weights.reduce((s, w) => s + w, 0) : n;
  for (let j = 0; j < p; j++) a[j]![j]! += ridge * totalWeight;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12 * Math.max(1, Math.abs(a[col]![col]!))) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= p; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return a.map((row, j) => row[p]! / row[j]! / scale[j]!);
}

/**
 * Non-negative least squares by elimination: fit all columns, drop the most
 * negative coefficient's column, refit, until every coefficient is ≥ 0.
 * (Latency cannot fall with more work; a negative slope is noise.)
 */
export function solveNonNegative(rows: readonly (readonly number[])[], y: readonly number[], weights?: readonly number[], ridge = 0): number[] {
  const p = rows[0]?.length ?? 0;
  const active = Array.from({ length: p }, (_, j) => j).filter((j) => rows.some((r) => r[j] !== 0));
  while (active.length > 0) {
    const sub = rows.map((r) => active.map((j) => r[j]!));
    const coef = solveLeastSquares(sub, y, weights, ridge);
    if (!coef) {
      active.pop();
      continue;
    }
    const worst = coef.reduce((w, c, i) => (c < (coef[w] ?? 0) ? i : w), -1);
    if (worst === -1 || coef[worst]! >= 0) {
      const out = new Array<number>(p).fill(0);
      active.forEach((j, i) => (out[j] = coef[i]!));
      return out;
    }
    active.splice(worst, 1);
  }
  return new Array<number>(p).fill(0);
}

const HUBER_K = 1.5;
const HUBER_ITERATIONS = 8;
/** Residuals within ±2 % count as exact: no reweighting below measurement resolution. */
const MIN_RELATIVE_SPREAD = 0.02;

/** √(mean of squares); 0 for none. */
export function rootMeanSquare(xs: readonly number[]): number {
  return xs.length > 0 ? Math.sqrt(xs.reduce((p, v) => p + v * v, 0) / xs.length) : 0;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Non-negative fit of y ≈ rows·β with errors relative to `scale` (per row),
 * robust: iteratively reweighted with Huber weights on the relative
 * residuals, their spread from the median absolute deviation — on a shared
 * machine a few runs come out several times slower than the kernel is, and
 * one such sample must not tilt the fit. Returns β and each row's relative residual.
 */
export function solveRobustRelative(rows: readonly (readonly number[])[], y: readonly number[], scale: readonly number[], ridge = 0): { coef: number[]; relative: number[] } {
  const p = rows[0]?.length ?? 0;
  const robust = rows.map(() => 1);
  let coef = new Array<number>(p).fill(0);
  const residuals = () => rows.map((r, i) => (r.reduce((s, v, j) => s + v * coef[j]!, 0) - y[i]!) / scale[i]!);
  for (let iter = 0; iter < HUBER_ITERATIONS && rows.length > 0; iter++) {
    coef = solveNonNegative(rows, y, scale.map((t, i) => robust[i]! / (t * t)), ridge);
    const rel = residuals().map(Math.abs);
    const spread = Math.max(MIN_RELATIVE_SPREAD, 1.4826 * medianOf(rel));
    const next = rel.map((r) => Math.min(1, (HUBER_K * spread) / Math.max(r, 1e-12)));
    const changed = next.some((w, i) => Math.abs(w - robust[i]!) > 1e-6);
    next.forEach((w, i) => (robust[i] = w));
    if (!changed) break;
  }
  return { coef, relative: residuals() };
}
