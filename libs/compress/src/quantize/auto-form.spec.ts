import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@edgefit/onnx';
import type { LatencyProbe, PassContext } from '../pass.js';
import { inProcessProbe } from './latency-probe.js';
import { createQuantizePass, quantizePass } from './quantize-pass.js';
import type { QuantizeReport } from './report.js';
import { params, testContext } from './testing/context.js';
import { convNetModel, mlpModel, randomSplit } from './testing/models.js';

/** A fake host: latency is a sum of per-op costs, so the best choice is known in advance. */
function costProbe(cost: Record<string, number>, calls: { n: number } = { n: 0 }): LatencyProbe {
  return async (models) => {
    calls.n += models.length;
    return models.map((m) => decodeModel(m).graph!.node!.reduce((a, n) => a + (cost[n.opType!] ?? 0.01), 0));
  };
}

describe('form: auto (decision logic, fake host)', () => {
  const model = convNetModel();
  const ctx = testContext(randomSplit(16, 72));

  it('chooses per layer: integer matmuls where they are cheaper, float convolutions where QLinearConv is slower', async () => {
    const pass = createQuantizePass({ probe: costProbe({ Conv: 2, QLinearConv: 5, Gemm: 2, MatMul: 2, QLinearMatMul: 0.5 }) });
    const { report } = (await pass.apply(model, params(pass, { form: 'auto' }), ctx)) as { report: QuantizeReport };
    expect(Object.fromEntries(report.layers.map((l) => [l.layer, l.form]))).toEqual({ conv1: 'weight-only', conv2: 'weight-only', mm: 'qoperator', fc: 'qoperator' });
    expect(report.auto!.fellBack).toBe(false);
    expect(report.auto!.chosenMs).toBeLessThan(report.auto!.fp32Ms);
    expect(report.simulated).toEqual(['conv1', 'conv2']);
  });

  it('falls back to float kernels (weight-only) when no integer form beats fp32', async () => {
    const pass = createQuantizePass({ probe: costProbe({ Conv: 1, Gemm: 1, MatMul: 1, QLinearConv: 9, QLinearMatMul: 9, QuantizeLinear: 1, DequantizeLinear: 1 }) });
    const { report } = (await pass.apply(model, params(pass, {}), ctx)) as { report: QuantizeReport };
    expect(report.layers.every((l) => l.form === 'weight-only' && l.aBits === 32)).toBe(true);
    expect(report.auto!.chosenMs).toBeLessThanOrEqual(report.auto!.fp32Ms);
  });

  it('measures through ctx.measureLatency when the context has one', async () => {
    const calls = { n: 0 };
    const measuring: PassContext = { ...ctx, measureLatency: costProbe({ QLinearMatMul: 0.1 }, calls) };
    await quantizePass.apply(model, params(quantizePass, { form: 'auto' }), measuring);
    expect(calls.n).toBeGreaterThan(4);
  });

  it('does not measure when every layer has a single candidate (2-bit: simulated only)', async () => {
    const calls = { n: 0 };
    const pass = createQuantizePass({ probe: costProbe({}, calls) });
    const { report } = await pass.apply(model, params(pass, { bits: 2 }), ctx);
    expect(calls.n).toBe(0);
    expect(report.simulated).toHaveLength(4);
  });
});

describe('form: auto on this host (real measurements)', () => {
  it('a 3-layer 512-wide MLP at batch 64: auto picks integer kernels and the result is faster than fp32', async () => {
    const model = mlpModel([512, 512, 512, 512]);
    const probe = inProcessProbe({ batch: 64, budgetMs: 400 });
    const pass = createQuantizePass({ probe });
    const { model: q, report } = (await pass.apply(model, params(pass, {}), testContext(randomSplit(64, 512)))) as { model: typeof model; report: QuantizeReport };
    expect(report.auto!.fellBack).toBe(false);
    expect(report.layers.some((l) => l.form !== 'weight-only')).toBe(true);
    const [fp32, chosen] = await probe([encodeModel(model), encodeModel(q)]);
    expect(chosen!).toBeLessThan(fp32!);
  });

  it('LeNet-sized convnet at batch 1: never slower than fp32 (generous margin for a shared host)', async () => {
    const model = convNetModel({ channelScales: Array(8).fill(1) });
    const probe = inProcessProbe({ batch: 1 });
    const pass = createQuantizePass({ probe });
    const { model: q, report } = (await pass.apply(model, params(pass, {}), testContext(randomSplit(32, 72)))) as { model: typeof model; report: QuantizeReport };
    // Either an integer form measured faster than fp32, or auto fell back to float kernels on
    // quantized weights — the fp32 graph's own kernels, equal to it up to timing noise.
    if (report.auto!.fellBack) {
      expect(report.layers.every((l) => l.form === 'weight-only')).toBe(true);
      return;
    }
    expect(report.auto!.chosenMs).toBeLessThan(report.auto!.fp32Ms);
    const [fp32, chosen] = await probe([encodeModel(model), encodeModel(q)]);
    expect(chosen!).toBeLessThan(fp32! * 1.25);
  });
});

describe('4×1024² MLP, batch 64, 1 thread: fp32 vs the int8 forms, measured side by side', () => {
  it('the best int8 form is faster than fp32', async () => {
    const model = mlpModel([1024, 1024, 1024, 1024, 1024]);
    const calibration = randomSplit(64, 1024);
    const forms = { dynamic: { form: 'dynamic', mode: 'dynamic' }, qoperator: { form: 'qoperator' }, qdq: { form: 'qdq' } };
    const models = [encodeModel(model)];
    for (const raw of Object.values(forms)) models.push(encodeModel((await quantizePass.apply(model, params(quantizePass, raw), testContext(calibration))).model));
    const [fp32, ...int8] = await inProcessProbe({ batch: 64, threads: 1, budgetMs: 3000 })(models);
    const figures = Object.fromEntries([['fp32', fp32!], ...Object.keys(forms).map((f, i) => [f, int8[i]!])].map(([k, v]) => [k, Number((v as number).toFixed(2))]));
    console.log(`4x1024 MLP batch 64, 1 thread, median ms: ${JSON.stringify(figures)}; best speed-up ${(fp32! / Math.min(...int8)).toFixed(2)}x`);
    expect(Math.min(...int8)).toBeLessThan(fp32!);
  });
});
