/**
 * Child-process entry of compareLatency (started by latency-compare.ts with
 * `node --import tsx`): reads LatencyCompareWorkerInput as JSON on stdin,
 * prints the LatencyCompareRun as one JSON line on stdout. Never imported
 * by the library.
 */
import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import { timeInterleaved, type InterleavedTimingOptions } from '@edgefit/core';
import type { LatencyCompareRun } from './latency-compare.js';
import { randomFeeds } from './latency-run.js';
import { latencyStats } from './latency-stats.js';
import { createSession, runSession } from './ort-session.js';
import { readStdinJson, writeWorkerAnswer } from './worker-process.js';

export interface LatencyCompareWorkerInput {
  modelPaths: string[];
  batch: number;
  threads: number;
  seed: number;
  timing: Required<InterleavedTimingOptions>;
}

async function main(): Promise<void> {
  const input = (await readStdinJson()) as LatencyCompareWorkerInput;
  const sessions: InferenceSession[] = [];
  try {
    const label = (i: number) => `model ${i + 1} of ${input.modelPaths.length}`;
    for (const [i, path] of input.modelPaths.entries()) sessions.push(await createSession(readFileSync(path), { threads: input.threads, batch: input.batch }, label(i)));
    // One seed for all: models with the same inputs are fed the very same values.
    const feeds = sessions.map((s) => randomFeeds(s, input.batch, input.seed));
    // A model that cannot run fails here with a clear error, before any timing.
    for (const [i, s] of sessions.entries()) await runSession(s, feeds[i]!, label(i));
    const times = await timeInterleaved(sessions.map((s, i) => () => s.run(feeds[i]!)), input.timing);
    writeWorkerAnswer({ models: times.map((t) => latencyStats(t)), rounds: times[0]!.length } satisfies LatencyCompareRun);
  } finally {
    for (const s of sessions) await s.release();
  }
}

main().catch((err: unknown) => writeWorkerAnswer(undefined, err));
