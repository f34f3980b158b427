import { performance } from 'node:perf_hooks';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { InvalidModelError, SeededRng } from '@edgefit/core';
import { latencyStats, type LatencyStats } from './latency-stats.js';
import { inputSpecs, isFixedDim } from './model-io.js';
import { runSession } from './ort-session.js';

export interface LatencyRunOptions {
  batch: number;
  warmup: number;
  runs: number;
  maxCv: number;
  maxRepeats: number;
  seed: number;
  /** Keep warming up until this long has passed (after the `warmup` runs); for the first model of a process. */
  warmupMs?: number;
}

export interface LatencyRun extends LatencyStats {
  runs: number;
  /** Leading dim actually fed to the first input. */
  batch: number;
  /** Measurement rounds made (1 unless the CV was above maxCv). */
  repeats: number;
  /** True when no round got its CV under maxCv (the best round is reported). */
  noisy: boolean;
  inputShape: number[];
}

/**
 * Seeded inputs for every model input: floats uniform in [0, 1), int8 / uint8
 * random bytes, other integers 0 (they may be indices), booleans false. A
 * free leading dim becomes `batch`, other free dims 1.
 */
export function randomFeeds(session: InferenceSession, batch: number, seed: number): Record<string, Tensor> {
  const rng = new SeededRng(seed);
  const feeds: Record<string, Tensor> = {};
  for (const input of inputSpecs(session)) {
    const dims = input.dims.map((d, i) => (isFixedDim(d) ? d : i === 0 ? batch : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    switch (input.type) {
      case 'float32': feeds[input.name] = new Tensor('float32', Float32Array.from({ length: n }, () => rng.next()), dims); break;
      case 'float64': feeds[input.name] = new Tensor('float64', Float64Array.from({ length: n }, () => rng.next()), dims); break;
      case 'int64': feeds[input.name] = new Tensor('int64', new BigInt64Array(n), dims); break;
      case 'int32': feeds[input.name] = new Tensor('int32', new Int32Array(n), dims); break;
      // quantized activations take random bytes too: a MaxPool over all-zero uint8 ran 3x faster than over
      // real ones (branches that always go one way), and would have been calibrated that fast
      case 'int8': feeds[input.name] = new Tensor('int8', Int8Array.from({ length: n }, () => rng.int(-128, 127)), dims); break;
      case 'uint8': feeds[input.name] = new Tensor('uint8', Uint8Array.from({ length: n }, () => rng.int(0, 255)), dims); break;
      case 'bool': feeds[input.name] = new Tensor('bool', new Uint8Array(n), dims); break;
      default: throw new InvalidModelError(`model input '${input.name}' has type ${input.type}, which the latency benchmark cannot generate`);
    }
  }
  return feeds;
}

async function timeRuns(session: InferenceSession, feeds: Record<string, Tensor>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  return times;
}

/** Warm up, then time `runs` runs; repeat while the CV exceeds maxCv (up to maxRepeats rounds), keeping the best round. */
export async function runLatency(session: InferenceSession, opts: LatencyRunOptions): Promise<LatencyRun> {
  const feeds = randomFeeds(session, opts.batch, opts.seed);
  const first = feeds[session.inputNames[0]!];
  await runSession(session, feeds); // a model that cannot run fails here with a clear error
  await timeRuns(session, feeds, opts.warmup);
  // a fresh process runs the timing loop and the binding's JS cold (interpreted, not yet optimized):
  // its first model keeps warming up for a while, or it alone is measured tens of microseconds slow
  for (const end = performance.now() + (opts.warmupMs ?? 0); performance.now() < end; ) await session.run(feeds);
  let best: LatencyStats | undefined;
  let repeats = 0;
  while (repeats < opts.maxRepeats) {
    repeats++;
    const stats = latencyStats(await timeRuns(session, feeds, opts.runs));
    if (!best || stats.cv < best.cv) best = stats;
    if (stats.cv <= opts.maxCv) break;
  }
  return {
    ...best!,
    runs: opts.runs,
    batch: first?.dims[0] ?? opts.batch,
    repeats,
    noisy: best!.cv > opts.maxCv,
    inputShape: first ? [...first.dims] : [],
  };
}
