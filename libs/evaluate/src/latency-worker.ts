/**
 * Child-process entry of the latency benchmark (started by
 * latency-benchmark.ts with `node --import tsx`): reads
 * `{ modelPaths, threads, …LatencyRunOptions }` as JSON on stdin, measures
 * the models one after the other (each session released before the next
 * starts), prints their LatencyRuns as one JSON array on stdout. Never imported by the library.
 */
import { readFileSync } from 'node:fs';
import { createSession } from './ort-session.js';
import { runLatency, type LatencyRun, type LatencyRunOptions } from './latency-run.js';
import { readStdinJson, writeWorkerAnswer } from './worker-process.js';

export interface LatencyWorkerInput extends LatencyRunOptions {
  modelPaths: string[];
  threads: number;
}

/**
 * Warm-up of a fresh process on its first model: enough for V8 to optimize
 * the timing loop and the binding, and for the process's memory to settle (on
 * this VM a fresh process ran a 200 KB-output model 4x slower for its first
 * ~200 runs, about 170 ms, whatever the allocator settings).
 */
const PROCESS_WARMUP_MS = 400;

async function main(): Promise<void> {
  const input = (await readStdinJson()) as LatencyWorkerInput;
  const runs: LatencyRun[] = [];
  for (const [i, path] of input.modelPaths.entries()) {
    const session = await createSession(readFileSync(path), { threads: input.threads, batch: input.batch }, path);
    try {
      runs.push(await runLatency(session, { ...input, warmupMs: i === 0 ? PROCESS_WARMUP_MS : 0 }));
    } finally {
      await session.release();
    }
  }
  writeWorkerAnswer(runs);
}

main().catch((err: unknown) => writeWorkerAnswer(undefined, err));
