import { describe, expect, it } from 'vitest';
import { SeededRng } from '@edgefit/core';
import { ModelBuilder, analyzeCost, attrInt, floatTensor, tensorDims, validateModel, type onnx } from '@edgefit/onnx';
import { getZooModel } from '@edgefit/train';
import { PassRegistry } from '../pass-registry.js';
import { parsePassSpec } from '../pass-spec.js';
import { runPipeline } from '../pipeline.js';
import { prunePass } from './prune-pass.js';
import { fillChannels, randomInput, randomValues, runOrt } from './spec-helpers.js';
import { floatValues, initializerOf, replaceInitializer, withFloatValues } from './tensor-edit.js';

const registry = new PassRegistry().register(prunePass);

async function prune(model: onnx.ModelProto, spec: string) {
  const r = await runPipeline(model, [parsePassSpec(spec, registry)], registry, { rng: new SeededRng(1), log: () => {} });
  return { model: r.model, report: r.reports[0]! };
}

/** Rewrite one initializer's values in place (test models only). */
function edit(model: onnx.ModelProto, name: string, f: (v: Float32Array) => Float32Array | void): void {
  const t = initializerOf(model.graph!, name)!;
  const v = floatValues(t);
  replaceInitializer(model.graph!, withFloatValues(t, f(v) ?? v));
}

const odd = (n: number) => Array.from({ length: n / 2 }, (_, i) => 2 * i + 1);
const dimsOf = (m: onnx.ModelProto, name: string) => tensorDims(initializerOf(m.graph!, name)!);

async function sameOutputs(a: onnx.ModelProto, b: onnx.ModelProto, inputDims: number[]) {
  const x = randomInput(inputDims.reduce((p, q) => p * q, 1), 11);
  const ya = await runOrt(a, x, inputDims);
  const yb = await runOrt(b, x, inputDims);
  expect(yb.dims).toEqual(ya.dims);
  // Removed channels contributed exact zeros, so the sums hold the same terms. onnxruntime's
  // kernels block the reduction by its length, so the order of additions (and the last bit)
  // may differ when a layer reads fewer channels: allow float32 rounding, nothing more. A
  // wrongly wired channel changes outputs by ~0.1 here.
  let maxDiff = 0;
  let scale = 0;
  ya.data.forEach((v, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(v - yb.data[i]!));
    scale = Math.max(scale, Math.abs(v));
  });
  expect(scale).toBeGreaterThan(0.01);
  expect(maxDiff).toBeLessThanOrEqual(2e-6 * Math.max(1, scale));
}

describe('structured pruning of half the channels', () => {
  it('lenet-5: a smaller dense model with the parameter count computed by hand, valid, runs in onnxruntime', async () => {
    const { model, report } = await prune(getZooModel('lenet-5').build(1), 'prune:method=l1-filter,sparsity=0.5,fineTuneEpochs=0');
    // conv1 6→3, conv2 16→8 (reading 3), fc1 120→60 (reading 8·5·5), fc2 84→42, logits reads 42.
    const byHand = (3 * 25 + 3) + (8 * 3 * 25 + 8) + (60 * 200 + 60) + (42 * 60 + 42) + (10 * 42 + 10);
    expect(byHand).toBe(15_738);
    expect(analyzeCost(model).params).toBe(byHand);
    expect(dimsOf(model, 'fc1.weight')).toEqual([60, 200]);
    expect(report.layers.map((l) => [l.layer, l.channelsBefore, l.channelsAfter])).toEqual([
      ['conv1', 6, 3], ['conv2', 16, 8], ['fc1', 120, 60], ['fc2', 84, 42], ['logits', 10, 10],
    ]);
    expect(report.notes.join('\n')).toMatch(/logits: skipped, 'logits' is a graph output/);
    validateModel(model);
    const y = await runOrt(model, randomInput(4 * 784, 2), [4, 1, 28, 28]);
    expect(y.dims).toEqual([4, 10]);
  });

  it('mobilenet-tiny: depthwise convs follow their producers (weights and group), BN is sliced', async () => {
    const { model } = await prune(getZooModel('mobilenet-tiny').build(1), 'prune:method=bn-scale,sparsity=0.5,fineTuneEpochs=0');
    const conv = (n: string, cin: number, cout: number, k: number) => cout * cin * k * k + 4 * cout; // weight + BN(γ, β, μ, σ²)
    const byHand = conv('stem', 1, 8, 3) + conv('b1.dw', 1, 8, 3) + conv('b1.pw', 8, 16, 1) + conv('b2.dw', 1, 16, 3) +
      conv('b2.pw', 16, 32, 1) + conv('b3.dw', 1, 32, 3) + conv('b3.pw', 32, 64, 1) + (10 * 64 + 10);
    expect(byHand).toBe(4_618);
    expect(analyzeCost(model).params).toBe(byHand);
    const groups = model.graph!.node!.filter((n) => n.name?.endsWith('.dw')).map((n) => attrInt(n, 'group', 1));
    expect(groups).toEqual([8, 16, 32]);
    expect(dimsOf(model, 'block2.dw.weight')).toEqual([16, 1, 3, 3]);
    expect(dimsOf(model, 'block3.pw.bn.var')).toEqual([64]);
    validateModel(model);
    expect((await runOrt(model, randomInput(2 * 784, 3), [2, 1, 28, 28])).dims).toEqual([2, 10]);
  });
});

describe('rewiring is exact: removing all-zero channels leaves the outputs identical (to float rounding)', () => {
  it('lenet-5 (Conv → Conv, Flatten → Gemm rows, Gemm → Gemm)', async () => {
    const model = getZooModel('lenet-5').build(4);
    const rng = new SeededRng(9);
    for (const [layer, c] of [['conv1', 6], ['conv2', 16], ['fc1', 120], ['fc2', 84]] as const) {
      edit(model, `${layer}.weight`, (w) => fillChannels(w, c, odd(c)));
      edit(model, `${layer}.bias`, () => fillChannels(randomValues(c, rng, 0.2), c, odd(c)));
    }
    const { model: pruned, report } = await prune(model, 'prune:method=l1-filter,sparsity=0.5,fineTuneEpochs=0');
    expect(report.layers[0]!.removedChannels).toEqual([1, 3, 5]);
    expect(analyzeCost(pruned).params).toBe(15_738);
    await sameOutputs(model, pruned, [3, 1, 28, 28]);
  });

  it('mobilenet-tiny with BatchNorm and depthwise convs (bn-scale picks the channels of γ = 0)', async () => {
    const model = getZooModel('mobilenet-tiny').build(5);
    const rng = new SeededRng(10);
    const producers: [string, number, string | undefined][] = [['stem', 16, 'block1.dw'], ['block1.pw', 32, 'block2.dw'], ['block2.pw', 64, 'block3.dw'], ['block3.pw', 128, undefined]];
    // Random BN parameters everywhere, so slicing the wrong entries would show.
    for (const bn of model.graph!.node!.filter((n) => n.opType === 'BatchNormalization')) {
      const c = dimsOf(model, bn.input![1]!)[0]!;
      edit(model, bn.input![1]!, () => Float32Array.from({ length: c }, () => 0.5 + rng.next()));
      edit(model, bn.input![2]!, () => randomValues(c, rng, 0.3));
      edit(model, bn.input![3]!, () => randomValues(c, rng, 0.3));
      edit(model, bn.input![4]!, () => Float32Array.from({ length: c }, () => 0.5 + rng.next()));
    }
    for (const [p, c, dw] of producers) {
      const gone = odd(c);
      edit(model, `${p}.weight`, (w) => fillChannels(w, c, gone));
      // The channel is 0 after the conv; BN keeps it 0 when γ = β = μ = 0 (γ = 0 is what bn-scale ranks by).
      for (const i of ['scale', 'bias', 'mean']) edit(model, `${p}.bn.${i}`, (v) => fillChannels(v, c, gone));
      if (dw) for (const i of ['bias', 'mean']) edit(model, `${dw}.bn.${i}`, (v) => fillChannels(v, c, gone));
    }
    const { model: pruned, report } = await prune(model, 'prune:method=bn-scale,sparsity=0.5,fineTuneEpochs=0');
    expect(report.layers[0]!.removedChannels).toEqual(odd(16));
    expect(analyzeCost(pruned).params).toBe(4_618);
    await sameOutputs(model, pruned, [2, 1, 28, 28]);
  });

  it('Concat along channels: the consumer loses the rows at the right offset', async () => {
    const rng = new SeededRng(3);
    const b = new ModelBuilder('concat');
    const x = b.input('input', ['N', 3, 6, 6]);
    const conv = (name: string, input: string, cin: number, cout: number) => {
      b.initializer(floatTensor(`${name}.weight`, [cout, cin, 3, 3], randomValues(cout * cin * 9, rng)));
      b.initializer(floatTensor(`${name}.bias`, [cout], randomValues(cout, rng)));
      return b.node('Conv', [input, `${name}.weight`, `${name}.bias`], [name], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, name)[0]!;
    };
    const a = b.node('Relu', [conv('convA', x, 3, 4)], ['reluA'])[0]!;
    const c = b.node('Concat', [conv('convB', x, 3, 5), a], ['cat'], { axis: 1 })[0]!;
    const d = conv('convC', c, 9, 6);
    const f = b.node('Flatten', [d], ['flat'], { axis: 1 })[0]!;
    b.initializer(floatTensor('fc.weight', [3, 6 * 36], randomValues(3 * 216, rng)));
    b.node('Gemm', [f, 'fc.weight'], ['out'], { transB: 1 }, 'fc');
    b.output('out', ['N', 3]);
    const model = b.build();
    edit(model, 'convA.weight', (w) => fillChannels(w, 4, [0, 2]));
    edit(model, 'convA.bias', (v) => fillChannels(v, 4, [0, 2]));
    const { model: pruned } = await prune(model, 'prune:method=l2-filter,sparsity=0,sparsity.convA=0.5,fineTuneEpochs=0');
    expect(dimsOf(pruned, 'convA.weight')).toEqual([2, 3, 3, 3]);
    expect(dimsOf(pruned, 'convC.weight')).toEqual([6, 7, 3, 3]);
    await sameOutputs(model, pruned, [2, 3, 6, 6]);
  });

  it('MatMul + Add bias (the exporters\' Linear): the bias constant is sliced with the columns', async () => {
    const rng = new SeededRng(4);
    const b = new ModelBuilder('linear');
    b.input('input', ['N', 12]);
    b.initializer(floatTensor('w1', [12, 8], randomValues(96, rng)));
    b.initializer(floatTensor('b1', [8], randomValues(8, rng)));
    b.initializer(floatTensor('w2', [8, 5], randomValues(40, rng)));
    b.node('MatMul', ['input', 'w1'], ['h'], {}, 'mm1');
    b.node('Add', ['h', 'b1'], ['hb'], {}, 'add1');
    b.node('Relu', ['hb'], ['r'], {}, 'relu');
    b.node('MatMul', ['r', 'w2'], ['out'], {}, 'mm2');
    b.output('out', ['N', 5]);
    const model = b.build();
    edit(model, 'w1', (w) => {
      for (let k = 0; k < 12; k++) for (const col of [1, 4, 6, 7]) w[k * 8 + col] = 0;
    });
    edit(model, 'b1', (v) => fillChannels(v, 8, [1, 4, 6, 7]));
    const { model: pruned } = await prune(model, 'prune:method=l1-filter,sparsity=0.5,fineTuneEpochs=0');
    expect(dimsOf(pruned, 'w1')).toEqual([12, 4]);
    expect(dimsOf(pruned, 'b1')).toEqual([4]);
    expect(dimsOf(pruned, 'w2')).toEqual([4, 5]);
    await sameOutputs(model, pruned, [3, 12]);
  });
});

describe('structured pruning refuses what it cannot rewire', () => {
  it('a residual Add of two branches: the layer is skipped with the reason, the rest still pruned', async () => {
    const rng = new SeededRng(5);
    const b = new ModelBuilder('residual');
    const x = b.input('input', ['N', 4, 5, 5]);
    const conv = (name: string, input: string, cin: number, cout: number) => {
      b.initializer(floatTensor(`${name}.weight`, [cout, cin, 1, 1], randomValues(cout * cin, rng)));
      return b.node('Conv', [input, `${name}.weight`], [name], { kernel_shape: [1, 1] }, name)[0]!;
    };
    const y = b.node('Add', [conv('branch', x, 4, 4), x], ['sum'], {}, 'join')[0]!;
    const z = conv('head', b.node('Relu', [y], ['r'])[0]!, 4, 6);
    b.node('GlobalAveragePool', [z], ['gap']);
    b.node('Flatten', ['gap'], ['out'], { axis: 1 });
    b.output('out', ['N', 6]);
    const model = b.build();
    const { model: pruned, report } = await prune(model, 'prune:method=l1-filter,sparsity=0.5,fineTuneEpochs=0');
    expect(report.notes.join('\n')).toMatch(/branch: skipped, it joins another branch at Add 'join'/);
    expect(dimsOf(pruned, 'branch.weight')).toEqual([4, 4, 1, 1]);
    expect(report.layers.find((l) => l.layer === 'head')!.skipped).toMatch(/graph output/);
    expect((await runOrt(pruned, randomInput(2 * 100, 1), [2, 4, 5, 5])).dims).toEqual([2, 6]);
  });

  it('iterative structured pruning reaches the same channel counts in AGP steps (no dataset: fine-tuning noted as skipped)', async () => {
    const { model, report } = await prune(getZooModel('lenet-5').build(1), 'prune:method=l2-filter,sparsity=0.5,schedule=iterative,steps=3');
    expect(report.layers.map((l) => l.channelsAfter)).toEqual([3, 8, 60, 42, 10]);
    expect(report.notes).toContain('fine-tuning skipped: no dataset was given');
    expect(analyzeCost(model).params).toBe(15_738);
  });
});
