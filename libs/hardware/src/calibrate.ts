import { cpus } from 'node:os';
import { encodeModel, type onnx } from '@edgefit/onnx';
import { extractLayerFacts } from './layer-facts.js';
import { planLayers, type LayerPlan } from './layer-plan.js';
import { solveNonNegative } from './least-squares.js';
import { REDUCTION_KINDS, identityModel, microBenchmarks, type BenchmarkSize } from './micro-benchmarks.js';
import { HardwareProfileSchema, type Calibration, type HardwareProfile } from './profile-schema.js';
import { defaultHostProfile } from './host-profile.js';

/**
 * Calibration of the host CPU: time single-operator models (micro-benchmarks)
 * with a measure function the caller supplies — onnxruntime in a child
 * process in practice (libs/evaluate's measureLatency), a formula in tests —
 * and fit, per operator kind, latency ≈ a + b·work + c·bytes by least squares
 * on relative error (work: MACs, or element operations for non-MAC ops;
 * bytes: weights + activations moved). The fixed cost of one inference is
 * measured on an Identity model and subtracted first. Kinds measured only
 * together with another kind (int4 DequantizeLinear before its MatMul) are
 * fitted in a second pass, after the kinds they sit beside.
 */
export type MeasureFn = (model: Uint8Array, opts: { batch: number; threads: number }) => Promise<{ medianMs: number }>;

export interface CalibrationOptions {
  measure: MeasureFn;
  threads?: number;
  /** Batch sizes each benchmark runs at; several sizes separate weight traffic from activation traffic. */
  batches?: number[];
  size?: BenchmarkSize;
  /** Profile to add the calibration to (default: host-cpu from OS facts). */
  base?: HardwareProfile;
  /** Only these kinds (default: all the micro-benchmarks cover); the reductions the benchmarks end in are always included. */
  kinds?: string[];
  onProgress?: (done: number, total: number, name: string) => void;
  now?: () => Date;
}

export interface CalibrationSample {
  benchmark: string;
  kind: string;
  batch: number;
  /** Measured time less the fixed per-run cost (the Identity model at this batch). */
  measuredMs: number;
  /** The whole run as measured, fixed per-run cost included. */
  totalMs: number;
  /** Work and bytes of the layers of this kind. */
  work: number;
  bytes: number;
  /** Layers of other kinds in the model, as [kind, work, bytes]. */
  others: [string, number, number][];
}

export interface CalibrationResult {
  profile: HardwareProfile;
  calibration: Calibration;
  samples: CalibrationSample[];
  /** Micro-benchmark runs that failed (crash, timeout) and were left out of the fit. */
  failures: { benchmark: string; batch: number; error: string }[];
}

type Coef = Calibration['ops'][string];

const costed = (p: LayerPlan) => p.kind === 'mac' || p.kind === 'elementwise';

/** Work and bytes per operator kind of a model at a batch size, as the onnxruntime stack runs it. */
export function kindTotals(model: onnx.ModelProto, batch: number): Map<string, { work: number; bytes: number }> {
  const facts = extractLayerFacts(model, { batch });
  const totals = new Map<string, { work: number; bytes: number }>();
  for (const plan of planLayers(facts, 'onnxruntime').filter(costed)) {
    const t = totals.get(plan.opKind) ?? { work: 0, bytes: 0 };
    t.work += plan.work;
    t.bytes += plan.weightBytes + plan.inputBytes + plan.outputBytes;
    totals.set(plan.opKind, t);
  }
  return totals;
}

const predict = (c: Coef, work: number, bytes: number) => c.interceptMs + c.msPerMac * work + c.msPerByte * bytes;

/**
 * Fit latency ≈ a + b·work + c·bytes to samples, all coefficients ≥ 0. Errors
 * are weighted relative to `totalMs` (the whole measured run, fixed cost
 * included; default: ms), the quantity predictions are judged on — so a
 * sample whose net time came out near zero or negative in a noisy run is
 * kept, not dropped, and does not dominate the fit.
 *
 * The fit is robust (iteratively reweighted, Huber weights on the relative
 * residuals, scale from their median absolute deviation): on a shared machine
 * a few runs come out several times slower than the kernel is, and one such
 * sample must not tilt a whole operator kind.
 */
export function fitKind(samples: readonly { work: number; bytes: number; ms: number; totalMs?: number }[]): Coef {
  const usable = samples.filter((s) => Number.isFinite(s.ms) && (s.totalMs ?? s.ms) > 0);
  const rows = usable.map((s) => [1, s.work, s.bytes]);
  const y = usable.map((s) => s.ms);
  const scale = usable.map((s) => s.totalMs ?? s.ms);
  const robust = usable.map(() => 1);
  let abc = [0, 0, 0];
  for (let iter = 0; iter < HUBER_ITERATIONS && usable.length > 0; iter++) {
    abc = solveNonNegative(rows, y, scale.map((t, i) => robust[i]! / (t * t)));
    const rel = usable.map((s, i) => Math.abs(abc[0]! + abc[1]! * s.work + abc[2]! * s.bytes - s.ms) / scale[i]!);
    const spread = Math.max(MIN_RELATIVE_SPREAD, 1.4826 * medianOf(rel));
    const changed = rel.some((r, i) => Math.abs(Math.min(1, (HUBER_K * spread) / Math.max(r, 1e-12)) - robust[i]!) > 1e-6);
    rel.forEach((r, i) => (robust[i] = Math.min(1, (HUBER_K * spread) / Math.max(r, 1e-12))));
    if (!changed) break;
  }
  const [a, b, c] = abc;
  const coef = { interceptMs: a!, msPerMac: b!, msPerByte: c!, samples: Math.max(1, usable.length), rmsRelativeError: 0 };
  const sq = usable.map((s, i) => ((predict(coef, s.work, s.bytes) - s.ms) / scale[i]!) ** 2);
  coef.rmsRelativeError = sq.length > 0 ? Math.sqrt(sq.reduce((p, v) => p + v, 0) / sq.length) : 0;
  return coef;
}

const HUBER_K = 1.5;
const HUBER_ITERATIONS = 8;
/** Residuals within ±2 % count as exact: no reweighting below measurement resolution. */
const MIN_RELATIVE_SPREAD = 0.02;

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function calibrateHost(opts: CalibrationOptions): Promise<CalibrationResult> {
  const threads = opts.threads ?? 1;
  const batches = opts.batches ?? [1, 8];
  const base = opts.base ?? defaultHostProfile();
  const wanted = opts.kinds && new Set<string>([...opts.kinds, ...REDUCTION_KINDS]);
  const benches = microBenchmarks(opts.size ?? 'standard').filter((b) => !wanted || wanted.has(b.kind));
  const total = (benches.length + 1) * batches.length;
  let done = 0;
  const time = async (model: onnx.ModelProto, batch: number, name: string) => {
    const r = await opts.measure(encodeModel(model), { batch, threads });
    opts.onProgress?.(++done, total, `${name} (batch ${batch})`);
    return r.medianMs;
  };

  // the fixed cost of one run, per batch size
  const overhead = new Map<number, number>();
  for (const batch of batches) overhead.set(batch, await time(identityModel(), batch, 'identity'));
  const runOverheadMs = Math.min(...overhead.values());

  const samples: CalibrationSample[] = [];
  const failures: CalibrationResult['failures'] = [];
  for (const bench of benches) {
    for (const batch of batches) {
      const totals = kindTotals(bench.model, batch);
      const own = totals.get(bench.kind);
      if (!own) throw new Error(`micro-benchmark ${bench.name} has no layer of kind ${bench.kind}`);
      const others = [...totals.entries()].filter(([k]) => k !== bench.kind).map(([k, t]) => [k, t.work, t.bytes] as [string, number, number]);
      let measured: number;
      try {
        measured = await time(bench.model, batch, bench.name);
      } catch (e) {
        // one crashed or timed-out run (a busy machine) must not lose the whole calibration
        failures.push({ benchmark: bench.name, batch, error: (e as Error).message ?? String(e) });
        opts.onProgress?.(++done, total, `${bench.name} (batch ${batch}) FAILED`);
        continue;
      }
      samples.push({ benchmark: bench.name, kind: bench.kind, batch, measuredMs: measured - overhead.get(batch)!, totalMs: measured, work: own.work, bytes: own.bytes, others });
    }
  }

  const ops: Calibration['ops'] = {};
  const fitPass = (pure: boolean) => {
    const byKind = new Map<string, CalibrationSample[]>();
    for (const s of samples) if ((s.others.length === 0) === pure) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
    for (const [kind, list] of byKind) {
      const points = list
        .filter((s) => s.others.every(([k]) => ops[k]))
        .map((s) => ({ work: s.work, bytes: s.bytes, totalMs: s.totalMs, ms: s.measuredMs - s.others.reduce((sum, [k, w, b]) => sum + predict(ops[k]!, w, b), 0) }));
      if (points.length > 0) ops[kind] = fitKind(points);
    }
  };
  fitPass(true);
  fitPass(false);

  const calibration: Calibration = {
    method: 'per operator kind: latency = interceptMs + msPerMac·work + msPerByte·bytes, robust (Huber) non-negative least squares on relative error over onnxruntime micro-benchmarks',
    measuredAt: (opts.now?.() ?? new Date()).toISOString(),
    // the CPU, never the machine's name: profiles are committed and shared
    host: `${cpus()[0]?.model.trim() || 'unknown CPU'}, ${cpus().length} logical CPUs`,
    threads,
    runOverheadMs,
    ops,
  };
  const profile = HardwareProfileSchema.parse({
    ...base,
    description: `${base.description.split(' — ')[0]} — calibrated: onnxruntime micro-benchmarks on ${threads} thread(s), ${calibration.measuredAt.slice(0, 10)}`,
    defaultThreads: threads,
    calibration,
    sources: { ...base.sources, calibration: { kind: 'measured', citation: `edgefit calibration on ${calibration.host}, ${calibration.measuredAt}: ${samples.length} micro-benchmark runs` } },
  });
  return { profile, calibration, samples, failures };
}

