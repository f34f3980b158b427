import { describe, expect, it } from 'vitest';
import { SeededRng, UserInputError } from '@edgefit/core';
import { loadDataset, subset } from '@edgefit/data';
import { PassRegistry } from '../pass-registry.js';
import { parsePassSpec } from '../pass-spec.js';
import { runPipeline } from '../pipeline.js';
import { quantizePass } from './quantize-pass.js';
import { params, testContext } from './testing/context.js';
import { convNetModel, randomSplit } from './testing/models.js';
import { runModel, top1Agreement } from './testing/ort-run.js';
import { trainedZooModel } from './testing/trained.js';

const registry = new PassRegistry().register(quantizePass);

/** The one-line UserInputError a spec (or an apply) gives. */
async function userError(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UserInputError');
}

describe('quantize: bad params are one-line errors naming the parameter', () => {
  const model = convNetModel();
  const apply = (spec: string, ctx = testContext(randomSplit(8, 72))) => quantizePass.apply(model, parsePassSpec(spec, registry).params, ctx);

  it('bits=3.5, bits=3 (not offered), an unknown scheme', async () => {
    expect(await userError(() => parsePassSpec('quantize:bits=3.5', registry))).toMatch(/'bits' must be an integer/);
    expect(await userError(() => parsePassSpec('quantize:bits=3', registry))).toMatch(/'bits' must be one of 1, 2, 4, 8/);
    expect(await userError(() => parsePassSpec('quantize:scheme=affine', registry))).toMatch(/'scheme' must be one of sym, asym/);
    expect(await userError(() => parsePassSpec('quantize:form=int3', registry))).toMatch(/'form'/);
  });

  it('layer names that do not exist or cannot be quantized', async () => {
    expect(await userError(() => apply('quantize:skipLayers=conv1+nope'))).toMatch(/parameter 'skipLayers' names layer 'nope', which the model does not have/);
    expect(await userError(() => apply('quantize:bits.fc9=4'))).toMatch(/parameter 'bits.fc9' names layer 'fc9'/);
    expect(await userError(() => apply('quantize:form.flat=qdq'))).toMatch(/'form.flat' names layer 'flat', which is not a Conv, Gemm or MatMul layer/);
    const pipeline = runPipeline(model, [parsePassSpec('quantize:bits.fc9=4', registry)], registry, testContext());
    expect(await userError(() => pipeline)).toMatch(/bits.fc9/);
  });

  it('static mode without calibration data names mode', async () => {
    expect(await userError(() => apply('quantize:bits=8', testContext()))).toMatch(/parameter 'mode' is 'static'.*set mode=dynamic/);
  });

  it('skipped layers stay float and unmarked', async () => {
    const { report } = await apply('quantize:skipLayers=conv1;fc,form=qdq');
    const api = await quantizePass.apply(model, params(quantizePass, { skipLayers: 'conv1, fc', form: 'qdq' }), testContext(randomSplit(8, 72)));
    expect(api.report.layers.map((l) => l.layer)).toEqual(['conv2', 'mm']);
    expect(report.layers.map((l) => l.layer)).toEqual(['conv2', 'mm']);
    expect(report.notes.join('\n')).toMatch(/skipLayers\): conv1, fc/);
  });
});

describe('int8 post-training quantization of a trained LeNet-5', async () => {
  const model = await trainedZooModel('lenet-5');
  const dataset = loadDataset('mnist');
  const test = subset(dataset.splits.test, 500, 1);
  const ref = await runModel(model, test.x, [500, 1, 28, 28]);

  for (const raw of [{ form: 'qdq' }, { form: 'qoperator' }, { form: 'dynamic', mode: 'dynamic' }, { form: 'qdq', granularity: 'tensor', calibration: 'percentile' }, {}]) {
    it(`${JSON.stringify(raw)}: top-1 agreement with fp32 ≥ 98% on 500 test digits`, async () => {
      const { model: q, report } = await quantizePass.apply(model, params(quantizePass, raw), { dataset, rng: new SeededRng(1), log: () => {} });
      const out = await runModel(q, test.x, [500, 1, 28, 28]);
      expect(out.dims).toEqual(ref.dims);
      expect(top1Agreement(ref.data, out.data, 10)).toBeGreaterThanOrEqual(0.98);
      const packed = report.layers.reduce((a, l) => a + (l.packedWeightBytes as number), 0);
      const floatBytes = report.layers.reduce((a, l) => a + 4 * (l.params as number), 0);
      expect(packed).toBeLessThan(floatBytes / 3.5);
    });
  }
});

describe('pipeline integration', () => {
  it('runs inside runPipeline from a CLI spec', async () => {
    const ctx = testContext(randomSplit(16, 72));
    const steps = [parsePassSpec('quantize:bits=4,scheme=asym,granularity=channel,form=simulated', registry)];
    const first = await runPipeline(convNetModel(), steps, registry, ctx);
    expect(first.reports[0]!.simulated).toEqual(['conv1', 'conv2', 'mm', 'fc']);
    expect(first.reports[0]!.layers.every((l) => l.wBits === 4)).toBe(true);
  });
});
