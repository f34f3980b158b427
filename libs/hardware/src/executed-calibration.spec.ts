import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { executedKindMs, fitExecutedKinds, priceExecutedKernels, type ExecutedSample } from './executed-calibration.js';
import type { ExecutedKernel, ExecutedLoad } from './executed-plan.js';
import type { Calibration } from './profile-schema.js';

type Coef = Calibration['ops'][string];
const coef = (c: Partial<Coef>): Coef => ({ interceptMs: 0, msPerMac: 0, msPerByte: 0, msPerOutputByte: 0, samples: 1, rmsRelativeError: 0, ...c });

/** A machine with known per-kind laws. */
const TRUTH: Record<string, Coef> = {
  'conv:nchwc': coef({ interceptMs: 0.004, msPerMac: 1e-8, msPerRow: 5e-7 }),
  'reorder-output:fp32': coef({ msPerOutputByte: 3e-8 }),
  'reducemax:fp32': coef({ interceptMs: 0.001, msPerByte: 1e-8 }),
  'matmul:fp32': coef({ interceptMs: 0.003, msPerMac: 8e-9, msPerByte: 2e-8 }),
};

function load(rng: SeededRng, scale: number): ExecutedLoad {
  const work = Math.round(scale * (0.5 + rng.next()));
  return { count: 1, work, bytes: Math.round(work / (2 + 6 * rng.next())), outputBytes: Math.round(work / (8 + 20 * rng.next())), rows: Math.round(work / (9 + 100 * rng.next())) };
}

function samples(n: number, seed: number): ExecutedSample[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, (_, i) => {
    // conv benchmarks always carry their reorder and the reduction they end in; matmuls only the reduction
    const kinds = i % 3 === 0 ? ['matmul:fp32', 'reducemax:fp32'] : ['conv:nchwc', 'reorder-output:fp32', 'reducemax:fp32'];
    const loads = new Map(kinds.map((k) => [k, load(rng, 10 ** (3 + 4 * rng.next()))]));
    const netMs = [...loads].reduce((s, [k, l]) => s + executedKindMs(TRUTH[k]!, l), 0);
    return { benchmark: `b${i}`, batch: 1, netMs, totalMs: netMs + 0.01, loads };
  });
}

describe('fitExecutedKinds', () => {
  it('recovers what a machine with known laws spends on unseen combinations of kinds', () => {
    const ops = fitExecutedKinds(samples(90, 1));
    for (const s of samples(30, 2)) {
      const predicted = [...s.loads].reduce((sum, [k, l]) => sum + executedKindMs(ops[k]!, l), 0);
      expect(Math.abs(predicted / s.netMs - 1)).toBeLessThan(0.03);
    }
    expect(Object.keys(ops).sort()).toEqual(Object.keys(TRUTH).sort());
    expect(Object.values(ops).every((c) => [c.interceptMs, c.msPerMac, c.msPerByte, c.msPerOutputByte ?? 0, c.msPerRow ?? 0].every((v) => v >= 0))).toBe(true);
  });

  it('is not tilted by a few runs several times too slow (robust weights)', () => {
    const clean = samples(90, 3);
    const dirty = clean.map((s, i) => (i % 15 === 7 ? { ...s, netMs: s.netMs * 4, totalMs: s.totalMs * 4 } : s));
    const ops = fitExecutedKinds(dirty);
    const misses = samples(30, 4).map((s) => Math.abs([...s.loads].reduce((sum, [k, l]) => sum + executedKindMs(ops[k]!, l), 0) / s.netMs - 1));
    expect(Math.max(...misses)).toBeLessThan(0.1);
  });
});

describe('priceExecutedKernels', () => {
  const kernel = (kind: string): ExecutedKernel => ({ name: kind, op: 'X', domain: '', kind, work: 1000, bytes: 100, outputBytes: 10, rows: 0 });
  const calibration = { method: 'test', measuredAt: '', host: '', threads: 1, runOverheadMs: 0.01, graph: 'executed', ops: { 'conv:integer': coef({ msPerMac: 1e-6 }), 'relu:fp32': coef({ msPerByte: 1e-6 }) } } satisfies Calibration;

  it('prices a kernel with its own kind, a depthwise one with its dense counterpart, else a generic element-wise kind', () => {
    const [own, dw, other] = priceExecutedKernels([kernel('conv:integer'), kernel('dwconv:integer'), kernel('sigmoid:fp32')], calibration);
    expect(own).toMatchObject({ calibrated: true });
    expect(own!.latencyMs).toBeCloseTo(1e-3, 12);
    expect(own!.pricedAs).toBeUndefined();
    expect(dw!.pricedAs).toBe('conv:integer');
    expect(dw!.latencyMs).toBeCloseTo(1e-3, 12);
    expect(other!.pricedAs).toBe('relu:fp32');
    expect(other!.latencyMs).toBeCloseTo(1e-4, 12);
  });

  it('says so when nothing calibrated can stand in', () => {
    const [k] = priceExecutedKernels([kernel('conv:nchwc')], { ...calibration, ops: {} });
    expect(k).toMatchObject({ latencyMs: 0, calibrated: false });
  });
});
