import { cpus } from 'node:os';
import { encodeModel, type onnx } from '@edgefit/onnx';
import { extractLayerFacts } from './layer-facts.js';
import { planLayers, type LayerPlan } from './layer-plan.js';
import { localResidual, shapeFeatures } from './local-correction.js';
import { medianOf, rootMeanSquare, solveRobustRelative } from './least-squares.js';
import { executedLoads, planExecutedGraph, type ExecutedLoad } from './executed-plan.js';
import { fitExecutedKinds, type ExecutedSample } from './executed-calibration.js';
import { REDUCTION_KINDS, identityModel, microBenchmarks, type BenchmarkSize } from './micro-benchmarks.js';
import { HardwareProfileSchema, type Calibration, type HardwareProfile } from './profile-schema.js';
import { defaultHostProfile } from './host-profile.js';

/**
 * Calibration of the host CPU: time single-operator models (micro-benchmarks)
 * with a measure function the caller supplies — onnxruntime in a child
 * process in practice (libs/evaluate's measureLatency), a formula in tests —
 * and fit, per operator kind, latency ≈ a + b·work + c·bytes + d·output bytes by least squares
 * on relative error (work: MACs, or element operations for non-MAC ops;
 * bytes: weights + activations moved). The fixed cost of one inference is
 * measured on an Identity model and subtracted first. Kinds measured only
 * together with another kind (int4 DequantizeLinear before its MatMul) are
 * fitted in a second pass, after the kinds they sit beside.
 */
export type MeasureFn = (model: Uint8Array, opts: { batch: number; threads: number }) => Promise<{ medianMs: number }>;
/** Measures several models of one batch size in one go (one child process: one start-up, not one per model). */
export type MeasureManyFn = (models: Uint8Array[], opts: { batch: number; threads: number }) => Promise<{ medianMs: number }[]>;

/** Benchmarks per measureMany call: a failed call loses (and re-measures one by one) at most this many. */
const MEASURE_CHUNK = 24;

export interface CalibrationOptions {
  measure: MeasureFn;
  /**
   * With it, the benchmarks are timed in chunks per batch size up front; a
   * chunk that fails (a crash, a timeout) is measured model by model with
   * `measure`, so that one bad run still loses only itself.
   */
  measureMany?: MeasureManyFn;
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
  /**
   * The graph onnxruntime executes for a model (libs/evaluate executedGraph).
   * With it the calibration is fitted on executed kernels (executed-plan.ts,
   * executed-calibration.ts) and predictions need the executed graph too.
   */
  executedGraph?: (model: Uint8Array) => Promise<onnx.ModelProto>;
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
  load: KindLoad;
  /** Layers of other kinds in the model, with their loads. */
  others: [string, KindLoad][];
}

export interface CalibrationResult {
  profile: HardwareProfile;
  calibration: Calibration;
  samples: CalibrationSample[];
  /** With `executedGraph`: every benchmark run with the executed kernels' loads (the fit's equations). */
  executedSamples?: ExecutedSample[];
  /** Micro-benchmark runs that failed (crash, timeout) and were left out of the fit. */
  failures: { benchmark: string; batch: number; error: string }[];
}

type Coef = Calibration['ops'][string];

const costed = (p: LayerPlan) => p.kind === 'mac' || p.kind === 'elementwise';

/** What a calibrated kind is charged for: work (MACs or element operations), all bytes moved, and the output bytes among them. */
export interface KindLoad {
  work: number;
  bytes: number;
  outputBytes: number;
  /** Shape of the layer (shapeFeatures) when the model has one layer of the kind, as a micro-benchmark does. */
  shape: number[] | null;
}

/** Work and bytes per operator kind of a model at a batch size, as the onnxruntime stack runs it. */
export function kindTotals(model: onnx.ModelProto, batch: number): Map<string, KindLoad> {
  const facts = extractLayerFacts(model, { batch });
  const totals = new Map<string, KindLoad>();
  for (const plan of planLayers(facts, 'onnxruntime').filter(costed)) {
    const t = totals.get(plan.opKind);
    if (!t) {
      totals.set(plan.opKind, { work: plan.work, bytes: plan.weightBytes + plan.inputBytes + plan.outputBytes, outputBytes: plan.outputBytes, shape: shapeFeatures(plan) });
      continue;
    }
    t.shape = null;
    t.work += plan.work;
    t.bytes += plan.weightBytes + plan.inputBytes + plan.outputBytes;
    t.outputBytes += plan.outputBytes;
  }
  return totals;
}

/**
 * A benchmark's own time: measured, less the fixed per-run cost (already out
 * of measuredMs) and less what the fitted kinds beside it (the ReduceMax every
 * benchmark ends in) are predicted to take; a kind not fitted counts as 0.
 */
export function ownMs(s: CalibrationSample, ops: Calibration['ops']): number {
  return s.measuredMs - s.others.reduce((sum, [k, load]) => sum + (ops[k] ? calibratedMs(ops[k], load) : 0), 0);
}

/** Latency of a calibrated kind under a load (the one formula layer-cost.ts prices a layer with). */
export function calibratedMs(c: Coef, load: Omit<KindLoad, 'shape'>): number {
  return c.interceptMs + c.msPerMac * load.work + c.msPerByte * load.bytes + (c.msPerOutputByte ?? 0) * load.outputBytes;
}

/**
 * Fit latency ≈ a + b·work + c·bytes + d·outputBytes to samples, all
 * coefficients ≥ 0. The output term is the cost per element written beyond
 * the bytes every tensor moves — requantization, bias and layout writes; on
 * onnxruntime a QLinearConv with one input channel spends more per output
 * than on its 25 MACs, which a single per-MAC rate cannot say. Errors
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
export function fitKind(samples: readonly (Omit<KindLoad, 'shape'> & { ms: number; totalMs?: number })[]): Coef {
  const usable = samples.filter((s) => Number.isFinite(s.ms) && (s.totalMs ?? s.ms) > 0);
  const { coef, relative } = solveRobustRelative(
    usable.map((s) => [1, s.work, s.bytes, s.outputBytes]),
    usable.map((s) => s.ms),
    usable.map((s) => s.totalMs ?? s.ms),
  );
  const [a = 0, b = 0, c = 0, d = 0] = coef;
  return { interceptMs: a, msPerMac: b, msPerByte: c, msPerOutputByte: d, samples: Math.max(1, usable.length), rmsRelativeError: rootMeanSquare(relative) };
}

/**
 * Median ms per model and batch, measured MEASURE_CHUNK models at a time; a
 * failed chunk is left out (measured later one by one). The Identity model
 * (the fixed cost of a run, subtracted from every benchmark) rides along in
 * every chunk and its figure is the median over the chunks: one chunk's
 * child that happened to start cold or beside a busy neighbour must not
 * shift every benchmark's net time.
 */
async function measureInChunks(
  measureMany: MeasureManyFn,
  identity: onnx.ModelProto,
  models: onnx.ModelProto[],
  batches: number[],
  threads: number,
  progress: (measured: number, what: string) => void,
): Promise<Map<onnx.ModelProto, Map<number, number>>> {
  const out = new Map<onnx.ModelProto, Map<number, number>>([identity, ...models].map((m) => [m, new Map()]));
  for (const batch of batches) {
    const fixed: number[] = [];
    for (let i = 0; i < models.length; i += MEASURE_CHUNK - 1) {
      const chunk = models.slice(i, i + MEASURE_CHUNK - 1);
      try {
        const [idMs, ...r] = await measureMany([identity, ...chunk].map((m) => encodeModel(m)), { batch, threads });
        fixed.push(idMs!.medianMs);
        chunk.forEach((m, j) => out.get(m)!.set(batch, r[j]!.medianMs));
        progress(chunk.length, `${chunk.length} benchmarks (batch ${batch})`);
      } catch {
        // measured one by one by the caller, where a failure is recorded against its benchmark
      }
    }
    if (fixed.length > 0) {
      out.get(identity)!.set(batch, medianOf(fixed));
      progress(1, `identity (batch ${batch}, median of ${fixed.length})`);
    }
  }
  return out;
}

export async function calibrateHost(opts: CalibrationOptions): Promise<CalibrationResult> {
  const threads = opts.threads ?? 1;
  const batches = opts.batches ?? [1, 8];
  const base = opts.base ?? defaultHostProfile();
  const wanted = opts.kinds && new Set<string>([...opts.kinds, ...REDUCTION_KINDS]);
  const benches = microBenchmarks(opts.size ?? 'standard').filter((b) => (!wanted || wanted.has(b.kind)) && (!b.executedOnly || opts.executedGraph));
  const total = (benches.length + 1) * batches.length;
  let done = 0;
  const identity = identityModel();
  const prefetched = opts.measureMany ? await measureInChunks(opts.measureMany, identity, benches.map((b) => b.model), batches, threads, (n, name) => {
    done += n;
    opts.onProgress?.(done, total, name);
  }) : new Map<onnx.ModelProto, Map<number, number>>();
  const time = async (model: onnx.ModelProto, batch: number, name: string) => {
    const known = prefetched.get(model)?.get(batch);
    if (known !== undefined) return known;
    const r = await opts.measure(encodeModel(model), { batch, threads });
    opts.onProgress?.(++done, total, `${name} (batch ${batch})`);
    return r.medianMs;
  };

  // the fixed cost of one run, per batch size
  const overhead = new Map<number, number>();
  for (const batch of batches) overhead.set(batch, await time(identity, batch, 'identity'));
  const runOverheadMs = Math.min(...overhead.values());

  const samples: CalibrationSample[] = [];
  const failures: CalibrationResult['failures'] = [];
  // with executedGraph: each run's equation over the kernels onnxruntime executes (executed-calibration.ts)
  const executedSamples: ExecutedSample[] | undefined = opts.executedGraph ? [] : undefined;
  for (const bench of benches) {
    let executed: onnx.ModelProto | undefined;
    for (const batch of batches) {
      const totals = kindTotals(bench.model, batch);
      const own = totals.get(bench.kind);
      if (!own) throw new Error(`micro-benchmark ${bench.name} has no layer of kind ${bench.kind}`);
      const others = [...totals.entries()].filter(([k]) => k !== bench.kind);
      let measured: number;
      try {
        measured = await time(bench.model, batch, bench.name);
      } catch (e) {
        // one crashed or timed-out run (a busy machine) must not lose the whole calibration
        failures.push({ benchmark: bench.name, batch, error: (e as Error).message ?? String(e) });
        opts.onProgress?.(++done, total, `${bench.name} (batch ${batch}) FAILED`);
        continue;
      }
      const sample: CalibrationSample = { benchmark: bench.name, kind: bench.kind, batch, measuredMs: measured - overhead.get(batch)!, totalMs: measured, load: own, others };
      if (executedSamples && opts.executedGraph) {
        let loads: Map<string, ExecutedLoad>;
        try {
          executed ??= await opts.executedGraph(encodeModel(bench.model));
          loads = executedLoads(planExecutedGraph(executed, batch));
        } catch (e) {
          // a kernel this onnxruntime makes that we have no shape rule for: that benchmark is left out, not the calibration
          failures.push({ benchmark: bench.name, batch, error: `executed graph: ${(e as Error).message ?? String(e)}` });
          continue;
        }
        executedSamples.push({ benchmark: bench.name, batch, netMs: sample.measuredMs, totalMs: measured, loads });
      }
      samples.push(sample);
    }
  }

  const ops: Calibration['ops'] = executedSamples ? fitExecutedKinds(executedSamples) : fitPerKind(samples);

  const calibration: Calibration = {
    method: executedSamples
      ? 'per kernel kind of the graph onnxruntime executes: latency = interceptMs + msPerMac·work + msPerByte·bytes + msPerOutputByte·output bytes + msPerRow·rows, all kinds fitted together by robust (Huber), ridge-regularized non-negative least squares on relative error over onnxruntime micro-benchmarks'
      : 'per operator kind: latency = interceptMs + msPerMac·work + msPerByte·bytes + msPerOutputByte·output bytes, robust (Huber) non-negative least squares on relative error over onnxruntime micro-benchmarks, corrected locally by the misses of the benchmarks nearest in shape',
    ...(executedSamples ? { graph: 'executed' as const } : {}),
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
  return { profile, calibration, samples, ...(executedSamples ? { executedSamples } : {}), failures };
}

/**
 * Per operator kind of the model's plan: kinds measured alone first, then
 * kinds measured beside fitted ones (int4 DequantizeLinear before its
 * MatMul); then each benchmark's miss, for the local correction.
 */
function fitPerKind(samples: readonly CalibrationSample[]): Calibration['ops'] {
  const ops: Calibration['ops'] = {};
  const fitPass = (pure: boolean) => {
    const byKind = new Map<string, CalibrationSample[]>();
    for (const s of samples) if ((s.others.length === 0) === pure) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
    for (const [kind, list] of byKind) {
      const points = list
        .filter((s) => s.others.every(([k]) => ops[k]))
        .map((s) => ({ ...s.load, totalMs: s.totalMs, ms: ownMs(s, ops) }));
      if (points.length > 0) ops[kind] = fitKind(points);
    }
  };
  fitPass(true);
  fitPass(false);
  // where the law misses each benchmark's shape (local-correction.ts)
  for (const s of samples) {
    const own = ops[s.kind];
    if (!own || !s.load.shape || !s.others.every(([k]) => ops[k])) continue;
    const r = localResidual(s.load.shape, ownMs(s, ops), calibratedMs(own, s.load));
    if (r) (own.local ??= []).push(r);
  }
  return ops;
}
