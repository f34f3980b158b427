import { cpus } from 'node:os';
import { UserInputError } from '@edgefit/core';
import { loadModel, validateModel } from '@edgefit/onnx';
import type { LatencyRun } from './latency-run.js';
import type { LatencyWorkerInput } from './latency-worker.js';
import { ortVersion } from './ort-session.js';
import { withStagedModels } from './staged-models.js';
import { tsxWorkerCommand } from './worker-command.js';
import { spawnJsonWorker } from './worker-process.js';

export interface LatencyOptions {
  batch?: number;
  threads?: number;
  warmup?: number;
  runs?: number;
  /** A round whose coefficient of variation exceeds this is repeated. */
  maxCv?: number;
  maxRepeats?: number;
  /** Wall-clock limit for the whole measurement, child start included. */
  timeoutMs?: number;
  /** Seed of the random inputs. */
  seed?: number;
}

export interface LatencyResult extends LatencyRun {
  threads: number;
  cpu: string;
  ortVersion: string;
}

export const LATENCY_DEFAULTS = { batch: 1, threads: 1, warmup: 10, runs: 50, maxCv: 0.1, maxRepeats: 3, timeoutMs: 120_000, seed: 1 };
/** Upper bounds of the integer options (documented limits). */
export const LATENCY_LIMITS = { batch: 65_536, threads: 256, warmup: 10_000, runs: 100_000, maxRepeats: 20, timeoutMs: 3_600_000 };

/** The integer options given, each within its documented limit (warmup may be 0), and an integer seed. */
export function checkLatencyLimits(o: Partial<Record<keyof typeof LATENCY_LIMITS, number>> & { seed?: number }): void {
  for (const [key, max] of Object.entries(LATENCY_LIMITS) as [keyof typeof LATENCY_LIMITS, number][]) {
    const v = o[key];
    if (v === undefined) continue;
    const min = key === 'warmup' ? 0 : 1;
    if (!Number.isInteger(v) || v < min || v > max) throw new UserInputError(`latency option ${key} must be an integer in [${min}, ${max}], got ${v}`);
  }
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw new UserInputError(`latency option seed must be an integer, got ${o.seed}`);
}

function checkedOptions(opts: LatencyOptions): Required<LatencyOptions> {
  const o = { ...LATENCY_DEFAULTS, ...opts };
  checkLatencyLimits(o);
  if (!(o.maxCv > 0)) throw new UserInputError(`latency option maxCv must be positive, got ${o.maxCv}`);
  return o;
}

/**
 * Measure onnxruntime latency of a model (bytes or a file path) in a child
 * process, since session.run blocks the event loop. The model is validated
 * here before any child starts. A crash or timeout rejects (the child is
 * killed); a measurement that stays noisy is returned with `noisy: true`.
 */
export async function measureLatency(model: Uint8Array | string, opts: LatencyOptions = {}): Promise<LatencyResult> {
  if (typeof model !== 'string') return (await measureLatencies([model], opts))[0]!;
  const o = checkedOptions(opts);
  validateModel(loadModel(model), {}, { batch: o.batch });
  return (await measureInChild([model], o))[0]!;
}

/**
 * measureLatency for several models in one child process, one after the
 * other, each with its own warm-up and runs (a model is timed warm, as it
 * runs when deployed; compareLatency interleaves models instead). One child
 * start instead of one per model: a calibration of a few hundred
 * micro-benchmarks spends seconds, not minutes, starting processes. The
 * timeout covers the whole call.
 */
export async function measureLatencies(models: readonly Uint8Array[], opts: LatencyOptions = {}): Promise<LatencyResult[]> {
  const o = checkedOptions(opts);
  if (models.length === 0) return [];
  return withStagedModels(models, o.batch, (paths) => measureInChild(paths, o));
}

async function measureInChild(modelPaths: string[], o: Required<LatencyOptions>): Promise<LatencyResult[]> {
  const { args, env } = tsxWorkerCommand('latency-worker.ts');
  const input: LatencyWorkerInput = { modelPaths, threads: o.threads, batch: o.batch, warmup: o.warmup, runs: o.runs, maxCv: o.maxCv, maxRepeats: o.maxRepeats, seed: o.seed };
  const label = modelPaths.length === 1 ? 'latency measurement' : `latency measurement of ${modelPaths.length} models`;
  const runs = (await spawnJsonWorker(args, input, { timeoutMs: o.timeoutMs, label, env }).result) as LatencyRun[];
  const meta = { threads: o.threads, cpu: cpus()[0]?.model.trim() ?? 'unknown', ortVersion: ortVersion() };
  return runs.map((run) => ({ ...run, ...meta }));
}
