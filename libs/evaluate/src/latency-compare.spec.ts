import { describe, expect, it } from 'vitest';
import { InvalidModelError, SeededRng, UserInputError } from '@edgefit/core';
import { defaultPassRegistry, parsePassSpec, runPipeline, type PassContext, type QuantizeReport } from '@edgefit/compress';
import { decodeModel } from '@edgefit/onnx';
import { childProcessProbe, compareLatency } from './latency-compare.js';
import { mlpModel } from './test-models.js';

describe('compareLatency (several models, one child process, interleaved rounds)', () => {
  it('times a small and a 100x larger model side by side while this event loop stays free', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const r = await compareLatency([mlpModel([784, 64, 10]), mlpModel([784, 1024, 1024, 1024, 10])], { batch: 64, budgetMs: 1500, minRounds: 9 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(r.models).toHaveLength(2);
    const [small, big] = r.models as [NonNullable<(typeof r.models)[0]>, NonNullable<(typeof r.models)[0]>];
    for (const m of r.models) {
      expect(m.minMs).toBeGreaterThan(0);
      expect(m.minMs).toBeLessThanOrEqual(m.medianMs);
      expect(m.medianMs).toBeLessThanOrEqual(m.p90Ms);
    }
    expect(big.medianMs).toBeGreaterThan(small.medianMs * 5); // 51k vs 2.9M MACs per sample
    expect(r.rounds).toBeGreaterThanOrEqual(9);
    expect(r).toMatchObject({ batch: 64, threads: 1 });
    expect(r.ortVersion).toMatch(/^\d+\.\d+/);
    // onnxruntime ran elsewhere: timers here kept firing (an in-process run blocks them while it runs).
    expect(ticks).toBeGreaterThan((0.3 * elapsed) / 10);
  });

  it('answers nothing for no models, and refuses malformed models and bad options before starting a child', async () => {
    expect((await compareLatency([])).models).toEqual([]);
    await expect(compareLatency([mlpModel([4, 2]), new TextEncoder().encode('not a model')])).rejects.toThrow(InvalidModelError);
    await expect(compareLatency([mlpModel([4, 2])], { threads: 0 })).rejects.toThrow(/latency option threads/);
    await expect(compareLatency([mlpModel([4, 2])], { minRounds: 10, maxRounds: 5 })).rejects.toThrow(UserInputError);
  });
});

describe('childProcessProbe as PassContext.measureLatency: quantize form: auto', () => {
  it('a 3-layer 512-wide MLP at batch 64: auto picks integer kernels measured in a child, and the result is faster than fp32', async () => {
    const registry = defaultPassRegistry();
    const base = mlpModel([512, 512, 512, 512]);
    const rng = new SeededRng(5);
    const n = 64;
    const calibration = { x: Float32Array.from({ length: n * 512 }, () => rng.next()), y: new Int32Array(n), count: n, sampleSize: 512 };
    const calls: number[] = [];
    const probe = childProcessProbe({ batch: 64, budgetMs: 600 });
    const ctx: PassContext = { calibration, rng, log: () => {}, measureLatency: (models) => (calls.push(models.length), probe(models)) };
    const r = await runPipeline(decodeModel(base), [parsePassSpec('quantize:bits=8,form=auto', registry)], registry, ctx);
    const report = r.reports[0] as QuantizeReport;
    expect(calls.length).toBeGreaterThanOrEqual(2); // the uniform forms, then the finalists against fp32 again
    expect(report.auto!.measurements).toBe(calls.reduce((a, b) => a + b, 0));
    expect(report.auto!.fellBack).toBe(false);
    expect(report.auto!.chosenMs).toBeLessThan(report.auto!.fp32Ms);
    const [fp32, chosen] = await probe([base, r.bytes]);
    expect(chosen!).toBeLessThan(fp32!);
  });
});
