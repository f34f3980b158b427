import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, subset, type Dataset } from '@edgefit/data';
import { analyzeCost, loadModel, type onnx } from '@edgefit/onnx';
import { getZooModel, scoreModel } from '@edgefit/train';
import { createPassContext } from '../pass-context.js';
import { defaultPassRegistry } from '../default-registry.js';
import type { PassContext } from '../pass.js';
import { PassRegistry } from '../pass-registry.js';
import { parsePassSpec } from '../pass-spec.js';
import { runPipeline } from '../pipeline.js';
import { weightLayers } from './prunable-layers.js';
import { prunePass } from './prune-pass.js';
import { randomInput, runOrt } from './spec-helpers.js';
import { floatValues } from './tensor-edit.js';

const registry = new PassRegistry().register(prunePass);

async function prune(model: onnx.ModelProto, spec: string, ctx: PassContext) {
  const r = await runPipeline(model, [parsePassSpec(spec, registry)], registry, ctx);
  return { model: r.model, report: r.reports[0]! };
}

describe('pruning with fine-tuning through the differentiable executor (small mnist subset)', () => {
  let small: Dataset;
  const logs: string[] = [];
  const ctx = () => createPassContext({ dataset: small, seed: 3, fineTune: { maxSteps: 3, batchSize: 32, validationSubset: 64 }, log: (m) => logs.push(m) });

  beforeAll(() => {
    const full = loadDataset('mnist');
    small = { ...full, splits: { train: subset(full.splits.train, 256, 1), validation: subset(full.splits.validation, 64, 1), test: subset(full.splits.test, 64, 1) } };
  });

  it('iterative magnitude pruning (3 AGP steps, fine-tuning after each) keeps masked weights exactly zero', async () => {
    const base = getZooModel('lenet-300-100').build(2);
    const spec = 'prune:sparsity=0.8,schedule=iterative,steps=3,fineTuneEpochs=1';
    const tuned = await prune(base, spec, ctx());
    const untuned = await prune(base, spec, { rng: ctx().rng, log: () => {} });
    expect(logs.filter((l) => l.startsWith('fine-tuned'))).toHaveLength(3);
    const plain = new Map(weightLayers(untuned.model).map((l) => [l.name, floatValues(l.weight)]));
    for (const l of weightLayers(tuned.model)) {
      const w = floatValues(l.weight);
      const zeros = w.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
      // Exactly the requested sparsity after training: masked weights stayed at zero, no others fell to it.
      expect(zeros, l.name).toBe(Math.round(0.8 * w.length));
      // …and training did change the surviving weights.
      const p = plain.get(l.name)!;
      expect(w.some((v, i) => v !== 0 && v !== p[i]), l.name).toBe(true);
    }
    expect(tuned.report.notes.join('\n')).not.toMatch(/fine-tuning skipped/);
    expect((await runOrt(tuned.model, randomInput(2 * 784, 1), [2, 1, 28, 28])).dims).toEqual([2, 10]);
  });

  it('iterative structured pruning of mobilenet-tiny trains the smaller graph (BN, depthwise groups) between steps', async () => {
    const { model, report } = await prune(getZooModel('mobilenet-tiny').build(2), 'prune:method=bn-scale,sparsity=0.5,schedule=iterative,steps=2,fineTuneEpochs=1', ctx());
    expect(report.layers.map((l) => l.channelsAfter)).toEqual([8, 16, 32, 64, 10]);
    expect(analyzeCost(model).params).toBe(4_618);
    expect((await runOrt(model, randomInput(2 * 784, 1), [2, 1, 28, 28])).dims).toEqual([2, 10]);
  });

  it('distill=true: the unpruned model teaches the pruned one (with α = 1 it keeps its accuracy even on wrong labels); an autoencoder is noted and not distilled', async () => {
    const base = loadModel(fileURLToPath(new URL('../../../../models/lenet-300-100-mnist.onnx', import.meta.url)));
    // Every training and validation label shifted to the next class: only the teacher knows the right answers.
    const shift = (split: Dataset['splits']['train']) => ({ ...split, y: Int32Array.from(split.y, (y) => (y + 1) % 10) });
    const wrong = { ...small, splits: { ...small.splits, train: shift(small.splits.train), validation: shift(small.splits.validation) } };
    const tuneCtx = () => createPassContext({ dataset: wrong, seed: 3, fineTune: { learningRate: 5e-3, batchSize: 32 }, log: (m) => logs.push(m) });
    const spec = 'prune:sparsity=0.5,fineTuneEpochs=4';
    const distilled = await prune(base, `${spec},distill=true,distillAlpha=1,distillTemperature=2`, tuneCtx());
    expect(logs.some((l) => l.includes('distilled from the unpruned model at T=2'))).toBe(true);
    const plain = await prune(base, spec, tuneCtx());
    const acc = (m: onnx.ModelProto) => scoreModel(m, small.splits.test); // the right labels
    const [a, b] = [await acc(distilled.model), await acc(plain.model)];
    expect(a).toBeGreaterThanOrEqual(0.9);
    expect(b).toBeLessThan(a - 0.3);
    const ae = await prune(getZooModel('autoencoder').build(1), 'prune:sparsity=0.5,fineTuneEpochs=1,distill=true', ctx());
    expect(ae.report.notes).toContain('distill skipped: distillation applies to classifiers, not to an autoencoder');
  });

  it('a pipeline that extends a cached one resumes from the cached prefix and gives the model a whole run gives', async () => {
    const full = defaultPassRegistry();
    const model = getZooModel('lenet-300-100').build(5);
    const prunePrefix = [parsePassSpec('prune:method=magnitude,sparsity=0.5,fineTuneEpochs=1', full)];
    const steps = [...prunePrefix, parsePassSpec('quantize-aware:bits=4,form=simulated,epochs=1', full)];
    const dir = mkdtempSync(join(tmpdir(), 'edgefit-prefix-'));
    try {
      const whole = await runPipeline(model, steps, full, ctx());
      const pruned = await runPipeline(model, prunePrefix, full, ctx(), { cacheDir: dir });
      const resumed = await runPipeline(model, steps, full, ctx(), { cacheDir: dir });
      expect(pruned.reusedSteps).toBe(0);
      expect(resumed).toMatchObject({ cached: false, reusedSteps: 1, key: whole.key });
      expect(resumed.reports.map((r) => r.pass)).toEqual(['prune', 'quantize-aware']);
      // the step's fine-tuning draws depend on its place in the pipeline, not on what ran before in this process
      expect(Buffer.compare(Buffer.from(resumed.bytes), Buffer.from(whole.bytes))).toBe(0);
      expect(await runPipeline(model, steps, full, ctx(), { cacheDir: dir })).toMatchObject({ cached: true, reusedSteps: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
