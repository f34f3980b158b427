import { cpus } from 'node:os';
import { INTERLEAVED_DEFAULTS, UserInputError, type InterleavedTimingOptions } from '@edgefit/core';
import { LATENCY_DEFAULTS, checkLatencyLimits } from './latency-benchmark.js';
import type { LatencyCompareWorkerInput } from './latency-compare-worker.js';
import type { LatencyStats } from './latency-stats.js';
import { ortVersion } from './ort-session.js';
import { withStagedModels } from './staged-models.js';
import { tsxWorkerCommand } from './worker-command.js';
import { spawnJsonWorker } from './worker-process.js';

export interface CompareLatencyOptions extends InterleavedTimingOptions {
  batch?: number;
  threads?: number;
  /** Wall-clock limit for the whole comparison, child start included. */
  timeoutMs?: number;
  /** Seed of the random inputs (every model gets the same ones where their inputs agree). */
  seed?: number;
}

export interface LatencyComparison {
  /** Per model, in the order given. */
  models: LatencyStats[];
  /** Interleaved rounds timed (one run of each model per round). */
  rounds: number;
  batch: number;
  threads: number;
  cpu: string;
  ortVersion: string;
}

/** What the worker answers. */
export interface LatencyCompareRun {
  models: LatencyStats[];
  rounds: number;
}

const MAX_ROUNDS = 100_000;

/**
 * Measure several models side by side in one child process (session.run
 * blocks the event loop, so never in this one): every model gets a session,
 * and the timed runs go in interleaved rounds so that load on a shared
 * machine affects each alike — the numbers compare fairly within one call.
 * The models are validated here first; a crash or timeout rejects.
 */
export async function compareLatency(models: readonly Uint8Array[], opts: CompareLatencyOptions = {}): Promise<LatencyComparison> {
  const o = { batch: LATENCY_DEFAULTS.batch, threads: LATENCY_DEFAULTS.threads, timeoutMs: LATENCY_DEFAULTS.timeoutMs, seed: LATENCY_DEFAULTS.seed, ...INTERLEAVED_DEFAULTS, ...opts };
  checkLatencyLimits({ batch: o.batch, threads: o.threads, timeoutMs: o.timeoutMs, warmup: o.warmup, seed: o.seed });
  if (!(o.budgetMs > 0)) throw new UserInputError(`latency option budgetMs must be positive, got ${o.budgetMs}`);
  if (!(Number.isInteger(o.minRounds) && Number.isInteger(o.maxRounds) && o.minRounds >= 1 && o.minRounds <= o.maxRounds && o.maxRounds <= MAX_ROUNDS)) {
    throw new UserInputError(`latency options minRounds and maxRounds must be integers with 1 ≤ minRounds ≤ maxRounds ≤ ${MAX_ROUNDS}, got ${o.minRounds} and ${o.maxRounds}`);
  }
  const meta = { batch: o.batch, threads: o.threads, cpu: cpus()[0]?.model.trim() ?? 'unknown', ortVersion: ortVersion() };
  if (models.length === 0) return { models: [], rounds: 0, ...meta };
  return withStagedModels(models, o.batch, async (modelPaths) => {
    const { args, env } = tsxWorkerCommand('latency-compare-worker.ts');
    const input: LatencyCompareWorkerInput = {
      modelPaths, batch: o.batch, threads: o.threads, seed: o.seed,
      timing: { warmup: o.warmup, budgetMs: o.budgetMs, minRounds: o.minRounds, maxRounds: o.maxRounds },
    };
    const run = (await spawnJsonWorker(args, input, { timeoutMs: o.timeoutMs, label: 'latency comparison', env }).result) as LatencyCompareRun;
    return { ...run, ...meta };
  });
}

/**
 * A latency probe for a pass context (`PassContext.measureLatency`, e.g. for
 * quantize `form: auto`): the median ms of each model from one
 * compareLatency call in a child process, so the event loop stays free.
 */
export function childProcessProbe(opts: CompareLatencyOptions = {}): (models: Uint8Array[]) => Promise<number[]> {
  return async (models) => (await compareLatency(models, opts)).models.map((m) => m.medianMs);
}
