import { describe, expect, it } from 'vitest';
import { latencyStats, quantile } from './latency-stats.js';
import { createSession } from './ort-session.js';
import { runLatency } from './latency-run.js';
import { mlpModel } from './test-models.js';

describe('latency statistics', () => {
  it('computes median, p90, min, mean and cv', () => {
    const s = latencyStats([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(s).toMatchObject({ medianMs: 5.5, minMs: 1, meanMs: 5.5 });
    expect(s.p90Ms).toBeCloseTo(9.1, 12);
    expect(s.cv).toBeCloseTo(Math.sqrt(8.25) / 5.5, 12);
    expect(quantile([2], 0.9)).toBe(2);
    expect(latencyStats([3, 3, 3]).cv).toBe(0);
  });

  it('repeats noisy rounds up to maxRepeats and flags them (in-process run)', async () => {
    const session = await createSession(mlpModel([16, 8, 4]));
    const noisy = await runLatency(session, { batch: 3, warmup: 2, runs: 5, maxCv: 1e-12, maxRepeats: 3, seed: 1 });
    expect(noisy).toMatchObject({ repeats: 3, noisy: true, batch: 3, runs: 5, inputShape: [3, 16] });
    const calm = await runLatency(session, { batch: 1, warmup: 0, runs: 5, maxCv: 1e9, maxRepeats: 3, seed: 1 });
    expect(calm).toMatchObject({ repeats: 1, noisy: false });
    await session.release();
  });
});
