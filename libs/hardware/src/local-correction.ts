import type { LayerPlan } from './layer-plan.js';

/**
 * Local correction of a calibrated kind's linear law, in the manner of
 * nn-Meter's per-kernel regressors: the law (intercept + per-MAC + per-byte)
 * is right on average, but onnxruntime picks kernels by shape — its NHWC
 * QLinearConv spends ~0.2 ns per MAC with one input channel and ~0.004 ns
 * with 32, a cliff no linear law over MACs and bytes follows. So calibration
 * keeps, per micro-benchmark, where its shape lies and how far the law
 * missed it (log of measured / fitted); a layer is corrected by the
 * kernel-weighted mean miss of the benchmarks near its shape, shrunk toward
 * no correction where none is near (a shape far from every benchmark keeps
 * the plain law).
 */
export interface LocalResidual {
  /** Shape of the benchmark layer (see shapeFeatures). */
  at: number[];
  /** ln(measured / fitted by the law). */
  logRatio: number;
}

/**
 * Where a layer lies: for a MAC layer as a GEMM, log2 of M (output positions
 * × batch), K (reduction length) and N (outputs per group); for element-wise
 * work, log2 of the element operations. Log scale: a factor of two in any
 * one dimension is distance 1.
 */
export function shapeFeatures(plan: LayerPlan): number[] {
  const mm = plan.facts.matmul;
  if (plan.kind === 'mac' && mm) return [mm.m, mm.k, mm.n].map((v) => Math.log2(Math.max(1, v)));
  return [Math.log2(Math.max(1, plan.work))];
}

/** Kernel width, in log2 units: a benchmark twice as large in one dimension still counts 61 %. */
const BANDWIDTH = 1;
/** Weight of "no correction": with one benchmark at distance 0 the correction is 1/(1 + PRIOR) of its miss. */
const PRIOR = 0.1;

/** Factor to multiply the law's latency by at a shape (1 with no residuals). */
export function correctionFactor(residuals: readonly LocalResidual[] | undefined, at: readonly number[]): number {
  if (!residuals || residuals.length === 0) return 1;
  let weighted = 0;
  let total = PRIOR;
  for (const r of residuals) {
    if (r.at.length !== at.length) continue;
    const d2 = r.at.reduce((s, v, i) => s + (v - at[i]!) ** 2, 0);
    const w = Math.exp(-d2 / (2 * BANDWIDTH * BANDWIDTH));
    weighted += w * r.logRatio;
    total += w;
  }
  return Math.exp(weighted / total);
}

/** A benchmark's miss, bounded so that one broken run cannot scale a kind by more than 8x either way. */
export function localResidual(at: number[], measuredMs: number, fittedMs: number): LocalResidual | null {
  if (!(measuredMs > 0 && fittedMs > 0)) return null;
  const bound = Math.log(8);
  return { at: at.map((v) => Number(v.toFixed(3))), logRatio: Number(Math.max(-bound, Math.min(bound, Math.log(measuredMs / fittedMs))).toFixed(4)) };
}
