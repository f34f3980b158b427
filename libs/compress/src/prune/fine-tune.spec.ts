import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, subset, type Dataset } from '@edgefit/data';
import { analyzeCost, type onnx } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { createPassContext } from '../pass-context.js';
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
});
