/**
 * Child-process entry of the latency benchmark (started by
 * latency-benchmark.ts with `node --import tsx`): reads
 * `{ modelPath, threads, …LatencyRunOptions }` as JSON on stdin, prints the
 * LatencyRun as one JSON line on stdout. Never imported by the library.
 */
import { readFileSync } from 'node:fs';
import { createSession } from './ort-session.js';
import { runLatency, type LatencyRunOptions } from './latency-run.js';
import { readStdinJson, writeWorkerAnswer } from './worker-process.js';

export interface LatencyWorkerInput extends LatencyRunOptions {
  modelPath: string;
  threads: number;
}

async function main(): Promise<void> {
  const input = (await readStdinJson()) as LatencyWorkerInput;
  const session = await createSession(readFileSync(input.modelPath), { threads: input.threads, batch: input.batch }, input.modelPath);
  const run = await runLatency(session, input);
  await session.release();
  writeWorkerAnswer(run);
}

main().catch((err: unknown) => writeWorkerAnswer(undefined, err));
