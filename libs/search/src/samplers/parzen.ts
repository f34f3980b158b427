import type { SeededRng } from '@edgefit/core';

/**
 * One-dimensional Parzen estimators for TPE, on the unit interval.
 * Numeric: a mixture of Gaussians truncated to [0,1], one per observation,
 * plus a broad prior (μ = 0.5, σ = 1). Bandwidths follow hyperopt/Optuna:
 * the larger gap to a neighbour, clipped below at 1/min(100, n+1) ("magic
 * clip"), so dense clusters get sharp kernels. Categorical: smoothed counts.
 */
export interface Estimator {
  sample(rng: SeededRng): number;
  logPdf(x: number): number;
}

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7) — enough for kernel normalizers. */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}
const phi = (z: number) => 0.5 * (1 + erf(z / SQRT2));

export class NumericParzen implements Estimator {
  private readonly mus: Float64Array;
  private readonly sigmas: Float64Array;
  /** 1/σ per kernel, and log(w / (σ·√(2π)·Z)) — everything in the log-density that does not depend on x. */
  private readonly invSigma: Float64Array;
  private readonly logConst: Float64Array;
  private readonly cumW: Float64Array;
  private readonly terms: Float64Array;

  constructor(obs: readonly number[], priorWeight = 1) {
    const n = obs.length;
    const k = n + 1;
    // A mixture does not depend on kernel order, so kernels are kept sorted by
    // centre (a typed sort, no comparator): the bandwidth of each is then the
    // larger gap to its neighbours (prior included, as Optuna does).
    const mus = new Float64Array(k);
    mus.set(obs);
    mus[n] = 0.5;
    mus.sort();
    const prior = mus.indexOf(0.5);
    const weights = new Float64Array(k).fill(1);
    weights[prior] = priorWeight;
    const sigmas = new Float64Array(k);
    const minSigma = 1 / Math.min(100, n + 1);
    for (let j = 0; j < k; j++) {
      const left = j > 0 ? mus[j]! - mus[j - 1]! : mus[j]!;
      const right = j < k - 1 ? mus[j + 1]! - mus[j]! : 1 - mus[j]!;
      sigmas[j] = Math.min(Math.max(left, right, minSigma), 1);
    }
    sigmas[prior] = 1; // the prior stays broad
    let total = 0;
    for (const w of weights) total += w;
    this.mus = mus;
    this.sigmas = sigmas;
    this.invSigma = new Float64Array(k);
    this.logConst = new Float64Array(k);
    this.cumW = new Float64Array(k);
    this.terms = new Float64Array(k);
    let acc = 0;
    for (let i = 0; i < k; i++) {
      const s = sigmas[i]!;
      const z = Math.max(phi((1 - mus[i]!) / s) - phi((0 - mus[i]!) / s), 1e-300);
      this.invSigma[i] = 1 / s;
      this.logConst[i] = Math.log(weights[i]! / total) - LOG_SQRT_2PI - Math.log(s) - Math.log(z);
      this.cumW[i] = acc += weights[i]! / total;
    }
  }

  sample(rng: SeededRng): number {
    const r = rng.next();
    let k = this.cumW.findIndex((c) => r < c);
    if (k < 0) k = this.mus.length - 1;
    for (let tries = 0; tries < 64; tries++) {
      const x = this.mus[k]! + this.sigmas[k]! * rng.normal();
      if (x >= 0 && x <= 1) return x;
    }
    return Math.min(Math.max(this.mus[k]!, 0), 1);
  }

  logPdf(x: number): number {
    // log-sum-exp over kernels
    const { mus, invSigma, logConst, terms } = this;
    let max = -Infinity;
    for (let i = 0; i < mus.length; i++) {
      const z = (x - mus[i]!) * invSigma[i]!;
      const t = logConst[i]! - 0.5 * z * z;
      terms[i] = t;
      if (t > max) max = t;
    }
    let s = 0;
    for (let i = 0; i < terms.length; i++) s += Math.exp(terms[i]! - max);
    return max + Math.log(s);
  }
}

/** Categorical estimator over k cells of the unit interval (cell i ↔ [i/k, (i+1)/k)). */
export class CategoricalParzen implements Estimator {
  private readonly p: number[];

  constructor(
    obs: readonly number[],
    private readonly k: number,
    priorWeight = 1,
  ) {
    const counts = new Array<number>(k).fill(priorWeight); // every category keeps some mass
    for (const u of obs) counts[Math.min(Math.floor(u * k), k - 1)]! += 1;
    const total = counts.reduce((a, b) => a + b, 0);
    this.p = counts.map((c) => c / total);
  }

  sample(rng: SeededRng): number {
    let r = rng.next();
    for (let i = 0; i < this.k; i++) {
      r -= this.p[i]!;
      if (r < 0) return (i + 0.5) / this.k;
    }
    return (this.k - 0.5) / this.k;
  }

  logPdf(x: number): number {
    return Math.log(this.p[Math.min(Math.floor(x * this.k), this.k - 1)]!);
  }
}
