import * as ort from 'onnxruntime-node';
import { SeededRng, timeInterleaved } from '@edgefit/core';
import { decodeModel, int64 } from '@edgefit/onnx';
import type { LatencyProbe } from '../pass.js';
import { openSession } from './ort.js';


export interface ProbeOptions {
  /** Leading (batch) dim of free-batch inputs. Default 1. */
  batch?: number;
  /** onnxruntime intra-op threads. Default 1. */
  threads?: number;
  /** Wall-clock time aimed at for the timed rounds of one call. Default 800 ms. */
  budgetMs?: number;
  minRuns?: number;
  maxRuns?: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Seeded uniform inputs for the float inputs of a model (all models of one call share them). */
function feedsFor(bytes: Uint8Array, batch: number): Record<string, ort.Tensor> {
  const graph = decodeModel(bytes).graph!;
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const rng = new SeededRng(1);
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of (graph.input ?? []).filter((v) => !inits.has(v.name))) {
    const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d, i) => (d.dimValue != null && int64(d.dimValue as number) > 0 ? int64(d.dimValue as number) : i === 0 ? batch : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[input.name!] = new ort.Tensor('float32', Float32Array.from({ length: n }, () => rng.next()), dims);
  }
  return feeds;
}

/**
 * Latency measured in this process with onnxruntime, the models run in
 * interleaved rounds (core's timeInterleaved). session.run blocks the event
 * loop while it runs: use it where that is acceptable (CLI, trial workers,
 * tests), never on a server's thread — there, give the pass context a
 * child-process `measureLatency` (libs/evaluate's childProcessProbe).
 */
export function inProcessProbe(o: ProbeOptions = {}): LatencyProbe {
  const { batch = 1, threads = 1, budgetMs = 800, minRuns = 9, maxRuns = 300 } = o;
  return async (models) => {
    if (models.length === 0) return [];
    const feeds = feedsFor(models[0]!, batch);
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const m of models) sessions.push(await openSession(m, threads));
      const times = await timeInterleaved(sessions.map((s) => () => s.run(feeds)), { budgetMs, minRounds: minRuns, maxRounds: maxRuns });
      return times.map(median);
    } finally {
      for (const s of sessions) await s.release();
    }
  };
}
