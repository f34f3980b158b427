import { describe, expect, it } from 'vitest';
import { SeededRng, UserInputError } from '@edgefit/core';
import { encodeModel, tensorDims, validateModel, type onnx } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { PassRegistry } from '../pass-registry.js';
import { parsePassSpec } from '../pass-spec.js';
import { runPipeline } from '../pipeline.js';
import type { PassContext } from '../pass.js';
import { maxNonzerosPerGroup } from './nm-sparsity.js';
import { reductionLayout, weightLayers } from './prunable-layers.js';
import { keptWidth, prunePass } from './prune-pass.js';
import { runOrt, randomInput } from './spec-helpers.js';
import { floatValues } from './tensor-edit.js';

const registry = new PassRegistry().register(prunePass);
const ctx = (): PassContext => ({ rng: new SeededRng(1), log: () => {} });

async function prune(model: onnx.ModelProto, spec: string) {
  const r = await runPipeline(model, [parsePassSpec(spec, registry)], registry, ctx());
  return { model: r.model, report: r.reports[0]! };
}

const zerosOf = (t: onnx.ITensorProto) => floatValues(t).reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

async function expectRuns(model: onnx.ModelProto, classes = 10) {
  validateModel(model);
  const out = await runOrt(model, randomInput(3 * 784, 5), [3, 1, 28, 28]);
  expect(out.dims).toEqual([3, classes]);
  expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
}

describe('prune: channelMultiple (hardware-aware widths)', () => {
  it('rounds each kept width to the nearest multiple, at least one, never above the layer', () => {
    expect(keptWidth(64, 37, 1)).toBe(37);
    expect(keptWidth(64, 37, 8)).toBe(40);
    expect(keptWidth(64, 35, 8)).toBe(32);
    expect(keptWidth(16, 3, 8)).toBe(8);
    expect(keptWidth(6, 3, 8)).toBe(6); // a layer narrower than one block is not worth pruning
  });

  it('mobilenet-tiny at 30% with channelMultiple=8: every pruned width is a multiple of 8, and the model runs', async () => {
    const model = getZooModel('mobilenet-tiny').build(3);
    const { model: out, report } = await prune(model, 'prune:method=l1-filter,sparsity=0.3,channelMultiple=8');
    const widths = report.layers.map((l) => l.channelsAfter as number);
    expect(widths.length).toBeGreaterThan(3);
    for (const l of report.layers) expect((l.channelsAfter as number) % 8 === 0 || l.channelsAfter === l.channelsBefore, l.layer).toBe(true);
    expect(report.layers.some((l) => (l.channelsAfter as number) < (l.channelsBefore as number))).toBe(true);
    await expectRuns(out);
  });
});

describe('prune: unstructured magnitude', () => {
  it('layer scope reaches exactly the requested sparsity per layer, overrides included, and the model runs', async () => {
    const base = getZooModel('lenet-300-100').build(1);
    const before = encodeModel(base);
    const { model, report } = await prune(base, 'prune:method=magnitude,sparsity=0.9,sparsity.fc2=0.5,fineTuneEpochs=0');
    expect(Buffer.compare(encodeModel(base), before)).toBe(0); // the input model is never touched
    const want: Record<string, number> = { fc1: 0.9, fc2: 0.5, logits: 0.9 };
    for (const l of weightLayers(model)) {
      const n = tensorDims(l.weight).reduce((a, b) => a * b, 1);
      expect(zerosOf(l.weight), l.name).toBe(Math.round(want[l.name]! * n));
    }
    expect(report.layers.map((l) => [l.layer, l.sparsity])).toEqual([['fc1', 0.9], ['fc2', 0.5], ['logits', 0.9]]);
    await expectRuns(model);
  });

  it('global scope reaches exactly the requested sparsity over all layers, unevenly', async () => {
    const { model, report } = await prune(getZooModel('lenet-5').build(2), 'prune:sparsity=0.8,scope=global,fineTuneEpochs=0');
    const layers = weightLayers(model);
    const total = layers.reduce((n, l) => n + floatValues(l.weight).length, 0);
    expect(layers.reduce((n, l) => n + zerosOf(l.weight), 0)).toBe(Math.round(0.8 * total));
    const per = report.layers.map((l) => l.sparsity as number);
    expect(Math.max(...per) - Math.min(...per)).toBeGreaterThan(0.05);
    await expectRuns(model);
  });

  it('skipLayers leaves those layers dense', async () => {
    const { model } = await prune(getZooModel('lenet-300-100').build(1), 'prune:sparsity=0.7,skipLayers=fc1|logits,fineTuneEpochs=0');
    const byName = new Map(weightLayers(model).map((l) => [l.name, zerosOf(l.weight)]));
    expect(byName.get('fc1')).toBe(0);
    expect(byName.get('logits')).toBe(0);
    expect(byName.get('fc2')).toBe(Math.round(0.7 * 30000));
  });
});

describe('prune: N:M', () => {
  for (const [zoo, n, m] of [['lenet-5', 2, 4], ['mobilenet-tiny', 2, 4], ['lenet-300-100', 1, 8]] as const) {
    it(`${zoo} ${n}:${m}: every group of ${m} has at most ${n} nonzeros, and the model runs`, async () => {
      const { model } = await prune(getZooModel(zoo).build(3), `prune:method=nm,n=${n},m=${m}`);
      for (const l of weightLayers(model)) {
        expect(maxNonzerosPerGroup(floatValues(l.weight), reductionLayout(l), m), l.name).toBeLessThanOrEqual(n);
      }
      await expectRuns(model);
    });
  }
});

describe('prune: bad specs give one-line errors naming the parameter', () => {
  const model = getZooModel('lenet-5').build(1);
  const cases: [string, RegExp][] = [
    ['prunee:sparsity=0.5', /unknown pass 'prunee'/],
    ['prune:sparsity=1.2', /parameter 'sparsity' must be from 0 to 0.99, got 1.2/],
    ['prune:sparsity=lots', /parameter 'sparsity' must be a number/],
    ['prune:method=random', /parameter 'method' must be one of/],
    ['prune:sparsity.nosuchlayer=0.5', /parameter 'sparsity.nosuchlayer' names layer 'nosuchlayer'/],
    ['prune:skipLayers=conv1|nosuch', /parameter 'skipLayers' names layer 'nosuch'/],
    ['prune:method=nm,n=4,m=4', /parameter 'n' must be less than m/],
    ['prune:sparsity.relu1=0.5', /parameter 'sparsity.relu1' names layer 'relu1' \(Relu\), which has no/],
    ['prune:scope=layer,steps=0', /parameter 'steps' must be from 1/],
  ];
  for (const [spec, pattern] of cases) {
    it(spec, async () => {
      const err = await prune(model, spec).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UserInputError);
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});
