import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserInputError } from '@edgefit/core';
import { decodeModel, loadModel, validateModel } from '@edgefit/onnx';
import type { LatencyRun } from './latency-run.js';
import type { LatencyWorkerInput } from './latency-worker.js';
import { ortVersion } from './ort-session.js';
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

function checkedOptions(opts: LatencyOptions): Required<LatencyOptions> {
  const o = { ...LATENCY_DEFAULTS, ...opts };
  for (const [key, max] of Object.entries(LATENCY_LIMITS) as [keyof typeof LATENCY_LIMITS, number][]) {
    const min = key === 'warmup' ? 0 : 1;
    if (!Number.isInteger(o[key]) || o[key] < min || o[key] > max) throw new UserInputError(`latency option ${key} must be an integer in [${min}, ${max}], got ${o[key]}`);
  }
  if (!(o.maxCv > 0)) throw new UserInputError(`latency option maxCv must be positive, got ${o.maxCv}`);
  if (!Number.isSafeInteger(o.seed)) throw new UserInputError(`latency option seed must be an integer, got ${o.seed}`);
  return o;
}

/** `node --import <tsx> latency-worker.ts`, with the repo's tsconfig for the @edgefit aliases. */
function workerCommand(): { args: string[]; env: NodeJS.ProcessEnv } {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const worker = fileURLToPath(new URL('./latency-worker.ts', import.meta.url));
  const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
  const env = { ...process.env };
  if (!env.TSX_TSCONFIG_PATH && existsSync(tsconfig)) env.TSX_TSCONFIG_PATH = tsconfig;
  return { args: ['--import', tsx, worker], env };
}

/**
 * Measure onnxruntime latency of a model (bytes or a file path) in a child
 * process, since session.run blocks the event loop. The model is validated
 * here before any child starts. A crash or timeout rejects (the child is
 * killed); a measurement that stays noisy is returned with `noisy: true`.
 */
export async function measureLatency(model: Uint8Array | string, opts: LatencyOptions = {}): Promise<LatencyResult> {
  const o = checkedOptions(opts);
  const tmp = typeof model === 'string' ? undefined : mkdtempSync(join(tmpdir(), 'edgefit-latency-'));
  try {
    let modelPath: string;
    if (typeof model === 'string') {
      validateModel(loadModel(model), {}, { batch: o.batch });
      modelPath = model;
    } else {
      validateModel(decodeModel(model), {}, { batch: o.batch });
      modelPath = join(tmp!, 'model.onnx');
      writeFileSync(modelPath, model);
    }
    const { args, env } = workerCommand();
    const input: LatencyWorkerInput = { modelPath, threads: o.threads, batch: o.batch, warmup: o.warmup, runs: o.runs, maxCv: o.maxCv, maxRepeats: o.maxRepeats, seed: o.seed };
    const run = (await spawnJsonWorker(args, input, { timeoutMs: o.timeoutMs, label: 'latency measurement', env }).result) as LatencyRun;
    return { ...run, threads: o.threads, cpu: cpus()[0]?.model.trim() ?? 'unknown', ortVersion: ortVersion() };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
