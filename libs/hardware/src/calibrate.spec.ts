import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { decodeModel, type onnx } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { calibrateHost, fitKind, type MeasureFn } from './calibrate.js';
import { predictCost } from './cost-model.js';
import { extractLayerFacts } from './layer-facts.js';
import { planLayers } from './layer-plan.js';
import { planExecutedGraph } from './executed-plan.js';
import { solveNonNegative } from './least-squares.js';
import { REDUCTION_KINDS, microBenchmarks } from './micro-benchmarks.js';

/** A machine that follows a known law: per layer a + b·work + c·bytes, plus a fixed cost per run. */
const LAW: Record<string, [number, number, number]> = {
  'matmul:fp32': [0.004, 2e-7, 3e-7],
  'conv:fp32': [0.006, 3e-7, 1e-7],
  'dwconv:fp32': [0.005, 9e-7, 2e-7],
  'pool:fp32': [0.003, 0, 4e-7],
  'dequantize:int4': [0.002, 0, 6e-7],
};
const RUN_MS = 0.03;

function lawMs(model: onnx.ModelProto, batch: number): number {
  const plans = planLayers(extractLayerFacts(model, { batch }), 'onnxruntime').filter((p) => p.kind === 'mac' || p.kind === 'elementwise');
  return RUN_MS + plans.reduce((sum, p) => {
    const [a, b, c] = LAW[p.opKind] ?? [0.001, 1e-7, 1e-7];
    return sum + a + b * p.work + c * (p.weightBytes + p.inputBytes + p.outputBytes);
  }, 0);
}

function fakeMeasure(noise = 0, seed = 1): MeasureFn {
  const rng = new SeededRng(seed);
  return async (bytes, { batch }) => ({ medianMs: lawMs(decodeModel(bytes), batch) * (1 + noise * (rng.next() * 2 - 1)) });
}

describe('least squares', () => {
  it('solves an exact linear system and keeps coefficients non-negative', () => {
    const rows = [[1, 1, 2], [1, 2, 1], [1, 3, 5], [1, 4, 3]];
    const y = rows.map(([, x, z]) => 0.5 + 2 * x! + 3 * z!);
    const [a, b, c] = solveNonNegative(rows, y);
    expect(a).toBeCloseTo(0.5, 9);
    expect(b).toBeCloseTo(2, 9);
    expect(c).toBeCloseTo(3, 9);
    // a law with a negative slope is refitted without that column
    const neg = rows.map(([, x]) => 5 - 0.1 * x!);
    expect(solveNonNegative(rows, neg).every((v) => v >= 0)).toBe(true);
  });

  it('fits latency on relative error', () => {
    // output bytes that move apart from work and bytes (a per-output cost, e.g. requantization)
    const points = [1e3, 1e4, 1e5, 1e6].flatMap((work) => [1, 3].map((k) => {
      const outputBytes = 10 * Math.sqrt(work) * k;
      return { work, bytes: k * work + 100, outputBytes, ms: 0.01 + 1e-6 * work + 2e-7 * (k * work + 100) + 5e-7 * outputBytes };
    }));
    const f = fitKind(points);
    expect(f.interceptMs).toBeCloseTo(0.01, 9);
    expect(f.msPerMac).toBeCloseTo(1e-6, 12);
    expect(f.msPerByte).toBeCloseTo(2e-7, 12);
    expect(f.msPerOutputByte).toBeCloseTo(5e-7, 12);
    expect(f.rmsRelativeError).toBeLessThan(1e-9);
  });
});

describe('robust fit', () => {
  it('is not tilted by a few runs a busy machine made several times slower', () => {
    const law = (work: number, bytes: number) => 0.01 + 1e-6 * work + 2e-7 * bytes;
    const points = [1e3, 1e4, 1e5, 1e6].flatMap((work) => [1, 3].map((k) => ({ work, bytes: k * work + 100, outputBytes: 0, ms: law(work, k * work + 100) })));
    points[5]!.ms *= 5; // contended runs
    points[2]!.ms *= 3;
    const f = fitKind(points);
    for (const p of points.filter((_, i) => i !== 5 && i !== 2)) {
      expect(Math.abs(f.interceptMs + f.msPerMac * p.work + f.msPerByte * p.bytes - p.ms) / p.ms).toBeLessThan(0.02);
    }
  });
});

describe('host calibration', () => {
  it('covers Gemm, Conv, depthwise Conv, pooling and each quantized operator form', () => {
    const kinds = new Set(microBenchmarks('standard').map((b) => b.kind));
    for (const k of ['matmul:fp32', 'conv:fp32', 'dwconv:fp32', 'pool:fp32', 'matmul:qlinear', 'conv:qlinear', 'dwconv:qlinear', 'matmul:integer', 'conv:integer', 'matmul:nbits', 'dequantize:int4', 'pool:int8']) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  it('recovers a known linear law from a fake measure function', async () => {
    const kinds = Object.keys(LAW);
    const progress: string[] = [];
    const r = await calibrateHost({ measure: fakeMeasure(), size: 'tiny', batches: [1, 4], kinds, threads: 2, onProgress: (_d, _t, n) => progress.push(n) });
    const withReductions: string[] = [...kinds, ...REDUCTION_KINDS];
    expect(progress.length).toBe((microBenchmarks('tiny').filter((b) => !b.executedOnly && withReductions.includes(b.kind)).length + 1) * 2);
    expect(r.calibration.runOverheadMs).toBeCloseTo(RUN_MS, 9);
    expect(Object.keys(r.calibration.ops).sort()).toEqual(withReductions.sort());
    // identifiable kinds: weights and activations move independently across sizes and batches
    // (pooling and DequantizeLinear move bytes in proportion to their work, so only their predictions are checked)
    for (const kind of ['matmul:fp32', 'conv:fp32']) {
      const [a, b, c] = LAW[kind]!;
      const fit = r.calibration.ops[kind]!;
      expect(fit.interceptMs, kind).toBeCloseTo(a, 6);
      expect(fit.msPerMac / (b || 1), kind).toBeCloseTo(b ? 1 : 0, 4);
      expect(fit.msPerByte / c, kind).toBeCloseTo(1, 4);
    }
    // exact up to rounding (DequantizeLinear moves bytes in proportion to its work: a near-singular fit)
    for (const [k, fit] of Object.entries(r.calibration.ops)) expect(fit.rmsRelativeError, k).toBeLessThan(1e-5);
    expect(r.profile.name).toBe('host-cpu');
    expect(r.profile.defaultThreads).toBe(2);
    expect(r.profile.sources.calibration?.kind).toBe('measured');
    // the calibrated profile predicts a model it never saw exactly as the law does
    const lenet = getZooModel('lenet-5').build(1);
    expect(predictCost(lenet, r.profile, { batch: 8 }).latencyMs).toBeCloseTo(lawMs(lenet, 8), 6);
  });

  it('fits the kernels of executed graphs jointly, and the profile prices an unseen model through its executed graph', async () => {
    // the "executed graph" here is the model itself (planExecutedGraph reads standard operators too);
    // the machine follows a law per executed kind, a + b·work + c·bytes
    const lawOf = (kind: string): [number, number, number] => (kind.startsWith('matmul') ? [0.004, 2e-7, 3e-7] : kind.startsWith('conv') ? [0.006, 3e-7, 1e-7] : [0.001, 1e-7, 1e-7]);
    const executedMs = (model: onnx.ModelProto, batch: number) =>
      RUN_MS + planExecutedGraph(model, batch).reduce((sum, k) => {
        const [a, b, c] = lawOf(k.kind);
        return sum + a + b * k.work + c * k.bytes;
      }, 0);
    const measure: MeasureFn = async (bytes, { batch }) => ({ medianMs: executedMs(decodeModel(bytes), batch) });
    const r = await calibrateHost({ measure, size: 'tiny', batches: [1, 4], kinds: ['matmul:fp32', 'conv:fp32', 'pool:fp32', 'relu:fp32'], executedGraph: async (bytes) => decodeModel(bytes) });
    expect(r.calibration.graph).toBe('executed');
    expect(r.executedSamples!.length).toBe(r.samples.length);
    expect(Object.keys(r.calibration.ops)).toEqual(expect.arrayContaining(['matmul:fp32', 'conv:fp32', 'reducemax:fp32', 'input:fp32', 'output:fp32']));
    const lenet = getZooModel('lenet-5').build(1);
    const p = predictCost(lenet, r.profile, { batch: 8, executed: lenet });
    expect(p.executedKernels!.every((k) => k.calibrated)).toBe(true);
    // within the ridge's pull toward zero of coefficients no benchmark separates
    expect(Math.abs(p.latencyMs / executedMs(lenet, 8) - 1)).toBeLessThan(0.01);
    // without the executed graph such a profile still prices the model's own layers, with a calibrated total
    expect(predictCost(lenet, r.profile, { batch: 8 }).executedKernels).toBeUndefined();
    // an executed kernel without a shape rule (a fusion newer than ours): the model's layers are priced, and the prediction says why
    const odd = structuredClone(lenet);
    const relu = odd.graph!.node!.find((n) => n.opType === 'Relu')!;
    Object.assign(relu, { opType: 'NoSuchFusedKernel', domain: 'com.microsoft' });
    odd.opsetImport!.push({ domain: 'com.microsoft', version: 1 });
    const fallback = predictCost(lenet, r.profile, { batch: 8, executed: odd });
    expect(fallback.executedKernels).toBeUndefined();
    expect(fallback.executedGraphError).toMatch(/NoSuchFusedKernel/);
    expect(fallback.latencyMs).toBeGreaterThan(0);
  });

  it('leaves out a benchmark whose executed graph cannot be planned, and says why', async () => {
    const measure: MeasureFn = async (bytes, { batch }) => ({ medianMs: lawMs(decodeModel(bytes), batch) });
    let calls = 0;
    const r = await calibrateHost({
      measure, size: 'tiny', batches: [1], kinds: ['matmul:fp32', 'conv:fp32'],
      executedGraph: async (bytes) => {
        if (++calls === 2) throw new Error('onnxruntime cannot load the model: test');
        return decodeModel(bytes);
      },
    });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.error).toMatch(/^executed graph: .*test/);
    expect(r.executedSamples!.length).toBe(r.samples.length);
    expect(r.calibration.ops['matmul:fp32']).toBeDefined();
  });

  it('leaves a failed run out of the fit instead of losing the calibration', async () => {
    const law = fakeMeasure();
    let calls = 0;
    const flaky: MeasureFn = async (bytes, o) => {
      if (++calls === 4) throw new Error('latency measurement did not finish within the time limit');
      return law(bytes, o);
    };
    const r = await calibrateHost({ measure: flaky, size: 'tiny', batches: [1, 4], kinds: ['matmul:fp32', 'conv:fp32'] });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.error).toMatch(/time limit/);
    expect(r.samples).toHaveLength(microBenchmarks('tiny').filter((b) => !b.executedOnly && ['matmul:fp32', 'conv:fp32', ...REDUCTION_KINDS].includes(b.kind)).length * 2 - 1);
    expect(r.calibration.ops['matmul:fp32']!.rmsRelativeError).toBeLessThan(1e-6);
    // no machine name in what gets committed
    expect(JSON.stringify(r.profile)).not.toContain(hostname());
  });

  it('times the benchmarks in chunks with measureMany, and one by one where a chunk fails', async () => {
    const law = fakeMeasure();
    const kinds = ['matmul:fp32', 'conv:fp32'];
    const single = await calibrateHost({ measure: law, size: 'tiny', batches: [1, 4], kinds });
    let singles = 0;
    const chunks: number[] = [];
    const r = await calibrateHost({
      measure: async (m, o) => (singles++, law(m, o)),
      measureMany: async (models, o) => {
        chunks.push(models.length);
        if (o.batch === 4) throw new Error('the child crashed'); // every batch-4 chunk fails
        return Promise.all(models.map((m) => law(m, o)));
      },
      size: 'tiny',
      batches: [1, 4],
      kinds,
    });
    const models = microBenchmarks('tiny').filter((b) => !b.executedOnly && [...kinds, ...REDUCTION_KINDS].includes(b.kind)).length + 1; // + identity
    // the identity model rides along in every chunk
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(2 * (models - 1) + chunks.length);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(24);
    expect(singles).toBe(models); // the batch-4 runs, one by one
    expect(r.failures).toEqual([]);
    expect(r.calibration.ops).toEqual(single.calibration.ops);
  });

  it('stays close when measurements are noisy', async () => {
    const r = await calibrateHost({ measure: fakeMeasure(0.03, 5), size: 'tiny', batches: [1, 4, 16], kinds: ['matmul:fp32', 'conv:fp32'] });
    const lenetLike = getZooModel('lenet-300-100').build(1);
    const predicted = predictCost(lenetLike, r.profile, { batch: 4 }).latencyMs;
    expect(Math.abs(predicted / lawMs(lenetLike, 4) - 1)).toBeLessThan(0.1);
  });
});
