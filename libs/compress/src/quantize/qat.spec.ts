import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { loadDataset, subset } from '@edgefit/data';
import { tensorToFloat32, type onnx } from '@edgefit/onnx';
import { classifyInitializers, fineTune } from '@edgefit/train';
import type { PassContext } from '../pass.js';
import { buildPlans } from './build-plans.js';
import { emitModel } from './emit.js';
import { clipGrid, copyTrainedWeights, insertFakeQuant } from './fake-quant.js';
import { bitRange, quantizeValue, saturate } from './numerics.js';
import { quantizeAwarePass } from './qat-pass.js';
import { quantizePass } from './quantize-pass.js';
import { params, testContext } from './testing/context.js';
import { convNetModel, randomInput, randomSplit } from './testing/models.js';
import { maxAbsDiff, runModel } from './testing/ort-run.js';
import { trainedZooModel } from './testing/trained.js';

describe('clipping grid of the fake quantization', () => {
  it('for 2–7 bits: odd k, and fine zero points inside the container for every zero point', () => {
    for (let bits = 2; bits <= 7; bits++) {
      const r = bitRange(bits);
      const g = clipGrid(r)!;
      expect(g.k % 2, `${bits} bits`).toBe(1);
      for (const z of [r.qmin, 0, r.qmax]) {
        const zp = g.container.qmin - g.k * (r.qmin - z);
        expect(zp).toBeGreaterThanOrEqual(g.container.qmin);
        expect(zp).toBeLessThanOrEqual(g.container.qmax);
      }
    }
    expect(clipGrid(bitRange(8))).toBeUndefined();
  });

  it('fine pair then b-bit pair equals one b-bit quantization with saturation (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.float({ min: -30, max: 30, noNaN: true }), fc.float({ min: Math.fround(0.01), max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (bits, x, s, zf) => {
        const r = bitRange(bits);
        const g = clipGrid(r)!;
        const z = Math.round(r.qmin + zf * (r.qmax - r.qmin));
        const fineScale = Math.fround(s / g.k);
        const fineZp = g.container.qmin - g.k * (r.qmin - z);
        const fine = Math.fround((quantizeValue(x, fineScale, fineZp, g.container) - fineZp) * fineScale);
        const twice = saturate(quantizeValue(fine, s, z, { qmin: -128, qmax: 127 }), r);
        return twice === quantizeValue(x, s, z, r) || Math.abs(Math.fround(x / s) - Math.round(Math.fround(x / s))) > 0.49;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fake-quantized graph', () => {
  const model = convNetModel({ channelScales: [1, 0.3, 2, 1] });
  const ctx = testContext(randomSplit(32, 72));
  const x = randomInput(6, 72, 3);

  // 6 bits is not offered by the schema (its choices are the search space) but the grids support it: an int16 clipping pair.
  for (const raw of [{ bits: 2 }, { bits: 4, scheme: 'asym' }, { bits: 8, granularity: 'tensor' }, { bits: 6 }]) {
    it(`${JSON.stringify(raw)}: runs in onnxruntime exactly like the emitted simulated model`, async () => {
      const resolved = params(quantizeAwarePass, { ...raw, bits: 2, form: 'simulated' });
      resolved.values.bits = raw.bits;
      const { plans } = await buildPlans('quantize-aware', model, resolved, ctx);
      const fake = insertFakeQuant('quantize-aware', model, plans);
      const emitted = emitModel(model, plans, new Map(plans.map((p) => [p.layer.name, 'simulated' as const]))).model;
      // Without graph optimizations: onnxruntime would fuse the fake graph's QDQ into integer kernels.
      const [a, b] = [await runModel(fake, x, [6, 2, 6, 6], 'disabled'), await runModel(emitted, x, [6, 2, 6, 6], 'disabled')];
      expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-4);
    });
  }

  it('keeps the float weights trainable for the executor (W → Q → DQ → Q → DQ → layer)', async () => {
    const { plans } = await buildPlans('quantize-aware', model, params(quantizeAwarePass, { bits: 2 }), ctx);
    const roles = classifyInitializers(insertFakeQuant('quantize-aware', model, plans).graph!);
    for (const w of ['conv1.weight', 'conv2.weight', 'mm.weight', 'fc.weight', 'conv1.bias', 'fc.bias']) expect(roles.trainable).toContain(w);
    expect([...roles.trainable].some((n) => /scale|zero_point/.test(n))).toBe(false);
  });

  it('copies trained values back by name', () => {
    const trained = convNetModel({ seed: 2 });
    const merged = copyTrainedWeights(model, trained);
    const weight = (m: onnx.IModelProto) => tensorToFloat32(m.graph!.initializer!.find((t) => t.name === 'conv1.weight')!);
    expect(weight(merged)).toEqual(weight(trained));
  });
});

describe('quantization-aware training of LeNet-300-100 (mnist)', async () => {
  const dataset = loadDataset('mnist');
  const model = await trainedZooModel('lenet-300-100', 200);
  const test = subset(dataset.splits.test, 500, 3);
  const ctx: PassContext = {
    dataset,
    rng: new SeededRng(1),
    log: () => {},
    fineTune: async (m, r) =>
      (await fineTune(m, { train: dataset.splits.train, validation: subset(dataset.splits.validation, 200, 2) }, { epochs: r.epochs, learningRate: r.learningRate, maxSteps: r.maxSteps, mask: r.masks, seed: 1 })).model,
  };
  const accuracy = async (m: onnx.IModelProto) => {
    const out = await runModel(m, test.x, [500, 1, 28, 28]);
    let right = 0;
    for (let i = 0; i < 500; i++) {
      const row = out.data.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === test.y[i]) right++;
    }
    return right / 500;
  };

  it('needs a fine-tuning hook (a dataset)', async () => {
    await expect(quantizeAwarePass.apply(model, params(quantizeAwarePass, {}), testContext())).rejects.toThrow(/give a dataset/);
  });

  it('2-bit: trains through fake quantization, emits the forms, and beats post-training quantization', async () => {
    const raw = { bits: 2, form: 'simulated' };
    const ptq = await quantizePass.apply(model, params(quantizePass, raw), ctx);
    const qat = await quantizeAwarePass.apply(model, params(quantizeAwarePass, { ...raw, epochs: 1, maxSteps: 60, learningRate: 5e-4 }), ctx);
    expect(qat.report.simulated).toEqual(['fc1', 'fc2', 'logits']);
    expect(qat.report.notes.join('\n')).toMatch(/straight-through/);
    const [a, b] = [await accuracy(ptq.model), await accuracy(qat.model)];
    console.log(`lenet-300-100 2-bit accuracy on 500 test digits: PTQ ${a}, QAT (60 steps) ${b}`);
    expect(b).toBeGreaterThan(a);
  });

  it('8-bit QAT emits integer kernels (qdq)', async () => {
    const qat = await quantizeAwarePass.apply(model, params(quantizeAwarePass, { bits: 8, form: 'qdq', maxSteps: 10 }), ctx);
    expect(qat.report.layers.every((l) => l.form === 'qdq')).toBe(true);
    expect(await accuracy(qat.model)).toBeGreaterThan(0.8);
  });
});
