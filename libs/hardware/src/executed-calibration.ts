import { rootMeanSquare, solveRobustRelative } from './least-squares.js';
import type { ExecutedKernel, ExecutedLoad } from './executed-plan.js';
import type { Calibration } from './profile-schema.js';

/**
 * Calibration on executed graphs (executed-plan.ts): every measured model —
 * a micro-benchmark is several kernels once onnxruntime has rewritten it (an
 * NCHWc Conv with its ReorderOutput and the ReduceMax it ends in) — is one
 * equation, net time = Σ over its kinds of (intercept·kernels + per-MAC·work +
 * per-byte·bytes + per-output-byte·output bytes), and all kinds are fitted
 * together: no kind needs a benchmark of its own, and kinds that always run
 * together (a reorder and the convolution before it) share their time as
 * they will in the models predicted.
 */
export interface ExecutedSample {
  benchmark: string;
  batch: number;
  /** Measured time less the fixed per-run cost. */
  netMs: number;
  /** The whole run as measured: the scale its error is judged on. */
  totalMs: number;
  loads: Map<string, ExecutedLoad>;
}

type Coef = Calibration['ops'][string];

const TERMS = 5;
/**
 * Ridge on the unit-scaled coefficients, per unit of total weight: small
 * enough to leave a well-measured kind at its least-squares value, large
 * enough to split time between kinds no benchmark separates.
 */
const RIDGE = 1e-4;

function row(loads: Map<string, ExecutedLoad>, column: Map<string, number>): number[] {
  const r = new Array<number>(column.size * TERMS).fill(0);
  for (const [kind, l] of loads) {
    const j = column.get(kind);
    if (j === undefined) continue;
    r.splice(j * TERMS, TERMS, l.count, l.work, l.bytes, l.outputBytes, l.rows);
  }
  return r;
}

/** Per-kind coefficients fitted jointly over all samples (robust, non-negative, relative to each run's total time). */
export function fitExecutedKinds(samples: readonly ExecutedSample[]): Calibration['ops'] {
  const usable = samples.filter((s) => Number.isFinite(s.netMs) && s.totalMs > 0);
  const kinds = [...new Set(usable.flatMap((s) => [...s.loads.keys()]))].sort();
  const column = new Map(kinds.map((k, i) => [k, i] as const));
  const { coef, relative } = solveRobustRelative(
    usable.map((s) => row(s.loads, column)),
    usable.map((s) => s.netMs),
    usable.map((s) => s.totalMs),
    RIDGE,
  );
  const ops: Calibration['ops'] = {};
  kinds.forEach((kind, i) => {
    const mine = usable.map((s, j) => (s.loads.has(kind) ? relative[j]! : null)).filter((r): r is number => r !== null);
    const [a = 0, b = 0, c = 0, d = 0, e = 0] = coef.slice(i * TERMS, (i + 1) * TERMS);
    ops[kind] = {
      interceptMs: a, msPerMac: b, msPerByte: c, msPerOutputByte: d, ...(e > 0 ? { msPerRow: e } : {}),
      samples: Math.max(1, mine.length),
      rmsRelativeError: rootMeanSquare(mine),
    };
  });
  return ops;
}

/** Latency of a kind's load under its coefficients (the fit's equation). */
export function executedKindMs(c: Coef, l: ExecutedLoad): number {
  return c.interceptMs * l.count + c.msPerMac * l.work + c.msPerByte * l.bytes + (c.msPerOutputByte ?? 0) * l.outputBytes + (c.msPerRow ?? 0) * l.rows;
}

/**
 * Coefficients for a kernel: its own kind; else a depthwise kernel's dense
 * counterpart of the same implementation; else its family in fp32, or in any
 * implementation; else a generic element-wise kind.
 */
function coefficientsFor(ops: Calibration['ops'], kind: string): Coef | undefined {
  const [family = '', impl = ''] = kind.split(':');
  const anyOfFamily = Object.keys(ops).sort().find((k) => k.startsWith(`${family}:`));
  for (const k of [kind, family === 'dwconv' ? `conv:${impl}` : '', `${family}:fp32`, anyOfFamily ?? '', 'relu:fp32', 'add:fp32']) if (ops[k]) return ops[k];
  return undefined;
}

export interface ExecutedKernelCost extends ExecutedKernel {
  latencyMs: number;
  /** False when the calibration has no figures for this kind nor a stand-in for it. */
  calibrated: boolean;
  /** The calibrated kind that priced it, when it is a stand-in for its own. */
  pricedAs?: string;
}

/** Latency of each kernel of an executed graph under a calibration. */
export function priceExecutedKernels(kernels: readonly ExecutedKernel[], calibration: Calibration): ExecutedKernelCost[] {
  return kernels.map((k) => {
    const c = coefficientsFor(calibration.ops, k.kind);
    if (!c) return { ...k, latencyMs: 0, calibrated: false };
    const latencyMs = executedKindMs(c, { count: 1, ...k });
    const pricedAs = calibration.ops[k.kind] ? undefined : Object.entries(calibration.ops).find(([, v]) => v === c)?.[0];
    return { ...k, latencyMs, calibrated: true, ...(pricedAs ? { pricedAs } : {}) };
  });
}
