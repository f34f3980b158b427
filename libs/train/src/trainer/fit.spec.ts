import { describe, expect, it, beforeAll } from 'vitest';
import { DatasetError, UserInputError } from '@edgefit/core';
import { encodeModel, tensorToFloat32, type onnx } from '@edgefit/onnx';
import { loadDataset, subset, type DataSplit } from '@edgefit/data';
import { getZooModel } from '../zoo/zoo-registry.js';
import { OnnxExecutor } from '../executor/executor.js';
import { initTrainingBackend } from '../backend.js';
import { runOrt } from '../testing/ort.js';
import { runExecutor } from '../testing/run-executor.js';
import { maxAbsDiff } from '../testing/random.js';
import { fit } from './fit.js';
import { fineTune } from './fine-tune.js';
import type { FitProgress } from './fit-types.js';

let train: DataSplit;
let validation: DataSplit;
beforeAll(async () => {
  await initTrainingBackend({ prefer: 'wasm' });
  const mnist = loadDataset('mnist');
  train = subset(mnist.splits.train, 512, 1);
  validation = subset(mnist.splits.validation, 300, 1);
});

const initializer = (m: onnx.IModelProto, name: string) => tensorToFloat32(m.graph!.initializer!.find((t) => t.name === name)!);

describe('fit', () => {
  it('lenet-300-100 learns MNIST from 512 samples (accuracy ≥ 0.7, loss falls)', async () => {
    const events: FitProgress[] = [];
    const r = await fit(getZooModel('lenet-300-100').build(1), { train, validation }, {
      epochs: 25, batchSize: 64, learningRate: 2e-3, shiftPixels: 1, seed: 1, onProgress: (p) => events.push(p),
    });
    expect(r.steps).toBe(200);
    expect(r.bestValMetric).toBeGreaterThanOrEqual(0.7);
    expect(r.history.at(-1)!.trainLoss).toBeLessThan(r.history[0]!.trainLoss * 0.5);
    expect(r.history[r.bestEpoch - 1]!.valMetric).toBe(r.bestValMetric);
    // Warm-up rises over the first epoch, cosine decays to 5% at the end.
    expect(r.history[0]!.lr).toBeCloseTo(2e-3, 8);
    expect(r.history.at(-1)!.lr).toBeCloseTo(1e-4, 8);
    expect(events.filter((e) => e.valMetric !== undefined)).toHaveLength(25);
    expect(events.at(-1)!.etaSeconds).toBe(0);
    // The written-back model is the best epoch's: onnxruntime scores it the same on the validation data.
    const exec = new OnnxExecutor(r.model);
    const feeds = { input: { data: validation.x, dims: [validation.count, 1, 28, 28] } };
    const logits = (await runOrt(r.model, feeds)).logits!;
    expect(maxAbsDiff(runExecutor(exec, feeds).logits!.data, logits.data)).toBeLessThan(1e-4);
    let correct = 0;
    for (let i = 0; i < validation.count; i++) {
      const row = Array.from(logits.data.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === validation.y[i]) correct++;
    }
    expect(correct / validation.count).toBeCloseTo(r.bestValMetric, 5);
    exec.dispose();
  });

  it('same seed → bit-identical trained weights; another seed → different', async () => {
    const run = (seed: number) =>
      fit(getZooModel('lenet-5').build(2), { train, validation }, { epochs: 1, maxSteps: 4, batchSize: 32, shiftPixels: 2, seed, validationSubset: 64 });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(Buffer.from(encodeModel(a.model)).equals(Buffer.from(encodeModel(b.model)))).toBe(true);
    expect(Buffer.from(encodeModel(a.model)).equals(Buffer.from(encodeModel(c.model)))).toBe(false);
  });

  it('a mask keeps pruned weights at exactly +0 through training', async () => {
    const model = getZooModel('lenet-5').build(3);
    const w = initializer(model, 'fc1.weight');
    const mask = Float32Array.from(w, (_, i) => (i % 3 === 0 ? 0 : 1));
    const convMask = Float32Array.from(initializer(model, 'conv2.weight'), (_, i) => (i < 600 ? 0 : 1));
    const r = await fit(model, { train, validation }, { epochs: 2, maxSteps: 12, weightDecay: 1e-2, mask: { 'fc1.weight': mask, 'conv2.weight': convMask }, validationSubset: 64 });
    const trained = initializer(r.model, 'fc1.weight');
    const trainedConv = initializer(r.model, 'conv2.weight');
    expect(Array.from(trained).every((v, i) => (mask[i] === 0 ? Object.is(v, 0) : true))).toBe(true);
    expect(Array.from(trainedConv).every((v, i) => (convMask[i] === 0 ? Object.is(v, 0) : true))).toBe(true);
    expect(maxAbsDiff(trained.filter((_, i) => mask[i] === 1), w.filter((_, i) => mask[i] === 1))).toBeGreaterThan(0);
  });

  it('BN running statistics move in training and are written back', async () => {
    const model = getZooModel('mobilenet-tiny').build(4);
    const r = await fit(model, { train, validation }, { epochs: 1, maxSteps: 3, batchSize: 32, validationSubset: 64 });
    expect(maxAbsDiff(initializer(r.model, 'stem.bn.mean'), initializer(model, 'stem.bn.mean'))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(initializer(r.model, 'block3.pw.bn.var'), initializer(model, 'block3.pw.bn.var'))).toBeGreaterThan(1e-3);
  });

  it('stops early when the validation metric stops improving', async () => {
    const r = await fit(getZooModel('lenet-300-100').build(1), { train, validation }, {
      epochs: 6, learningRate: 1e-12, schedule: 'constant', patience: 1, trainSubset: 64, validationSubset: 64,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs).toBe(2);
    expect(r.bestEpoch).toBe(1);
  });

  it('reconstruction trains the autoencoder on the normal classes only', async () => {
    const r = await fit(getZooModel('autoencoder').build(1), { train, validation }, {
      task: 'reconstruction', normalClasses: [0, 1, 2, 3, 4, 5, 6, 7, 8], epochs: 3, learningRate: 2e-3, seed: 2,
    });
    expect(r.steps).toBe(3 * Math.ceil(Array.from(train.y).filter((y) => y !== 9).length / 64));
    expect(r.history.at(-1)!.valMetric).toBeGreaterThan(r.history[0]!.valMetric);
    expect(r.bestValMetric).toBeLessThan(0);
  });

  it('fineTune is fit with a short, low-rate default recipe', async () => {
    const r = await fineTune(getZooModel('lenet-300-100').build(1), { train, validation }, { maxSteps: 2, validationSubset: 32 });
    expect(r.history[0]!.lr).toBeLessThanOrEqual(2e-4);
    expect(r.steps).toBe(2);
  });

  it('refuses bad options and data before training', async () => {
    const model = getZooModel('lenet-300-100').build(1);
    await expect(fit(model, { train, validation }, { epochs: 0 })).rejects.toThrow(UserInputError);
    await expect(fit(model, { train, validation }, { labelSmoothing: 1 })).rejects.toThrow(/labelSmoothing/);
    await expect(fit(model, { train, validation }, { normalClasses: [1] })).rejects.toThrow(/reconstruction task only/);
    await expect(fit(model, { train, validation }, { mask: { nope: new Float32Array(1) } })).rejects.toThrow(/mask for 'nope'/);
    const wrongSize = { ...train, sampleSize: 100, x: new Float32Array(100 * train.count) };
    await expect(fit(model, { train: wrongSize, validation })).rejects.toThrow(DatasetError);
    const poisoned = { ...train, x: train.x.map((v, i) => (i === 5 ? NaN : v)) };
    await expect(fit(model, { train: poisoned, validation }, { maxSteps: 20, validationSubset: 32 })).rejects.toThrow(/diverged at epoch 1.*lower the learning rate/);
    const badLabels = { ...train, y: Int32Array.from(train.y, () => 12) };
    await expect(fit(model, { train: badLabels, validation })).rejects.toThrow(/label 12 is outside the 10 classes/);
  });
});
