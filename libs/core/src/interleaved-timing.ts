import { performance } from 'node:perf_hooks';

export interface InterleavedTimingOptions {
  /** Untimed runs of each candidate first. Default 3. */
  warmup?: number;
  /** Wall-clock time aimed at for the timed rounds together. Default 800 ms. */
  budgetMs?: number;
  minRounds?: number;
  maxRounds?: number;
}

export const INTERLEAVED_DEFAULTS = { warmup: 3, budgetMs: 800, minRounds: 9, maxRounds: 300 };

/**
 * Times (ms) of each candidate over interleaved rounds: one run of each per
 * round, the order rotating, so that a load change on a shared machine hits
 * every candidate alike and comparisons between them stay fair. The number
 * of rounds fits the budget from the last warm-up run of each candidate.
 */
export async function timeInterleaved(runs: ReadonlyArray<() => Promise<unknown>>, o: InterleavedTimingOptions = {}): Promise<number[][]> {
  const { warmup, budgetMs, minRounds, maxRounds } = { ...INTERLEAVED_DEFAULTS, ...o };
  const timeOne = async (run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    return performance.now() - t0;
  };
  let perRound = 0;
  for (const run of runs) {
    let last = 0;
    for (let i = 0; i < Math.max(warmup, 1); i++) last = await timeOne(run);
    perRound += last;
  }
  const rounds = Math.min(maxRounds, Math.max(minRounds, Math.ceil(budgetMs / Math.max(perRound, 1e-3))));
  const times = runs.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < runs.length; j++) {
      const i = (j + r) % runs.length;
      times[i]!.push(await timeOne(runs[i]!));
    }
  }
  return times;
}
