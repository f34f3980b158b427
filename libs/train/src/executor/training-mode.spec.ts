import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { floatTensor, int8Tensor, tensorToFloat32 } from '@edgefit/onnx';
import { initTrainingBackend, type TrainingBackendName } from '../backend.js';
import { getZooModel } from '../zoo/zoo-registry.js';
import { runOrt } from '../testing/ort.js';
import { runExecutor } from '../testing/run-executor.js';
import { randomFloats, maxAbs, maxAbsDiff } from '../testing/random.js';
import { testModel } from '../testing/op-model.js';
import { ScheduledAdam } from '../trainer/scheduled-adam.js';
import { trainStep } from '../trainer/train-step.js';
import { softmaxCrossEntropy } from '../trainer/loss.js';
import { OnnxExecutor } from './executor.js';

/** Gradients of a cross-entropy training pass, read back by initializer name. */
async function gradientsOn(backend: TrainingBackendName, name: string, x: Float32Array, labels: Int32Array): Promise<Map<string, Float32Array>> {
  await initTrainingBackend({ prefer: backend });
  const exec = new OnnxExecutor(getZooModel(name).build(7), { seed: 3 });
  const names = new Map([...exec.variables].map(([k, v]) => [v.name, k]));
  const grads = tf.tidy(() => {
    const input = tf.tensor(x, [labels.length, 1, 28, 28]);
    const { grads } = tf.variableGrads(() => softmaxCrossEntropy(exec.run({ input }, { training: true }).logits!, tf.tensor1d(labels, 'int32'), 0.1), exec.trainableVariables());
    return grads;
  });
  const out = new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g.dataSync() as Float32Array]));
  tf.dispose(Object.values(grads));
  exec.dispose();
  return out;
}

describe('training-mode gradients on WASM equal the cpu backend', () => {
  for (const name of ['lenet-5', 'mobilenet-tiny', 'lenet-300-100']) {
    it(name, async () => {
      const x = randomFloats(3 * 784, 5, 0, 1);
      const labels = Int32Array.from([1, 7, 3]);
      const ref = await gradientsOn('cpu', name, x, labels);
      const got = await gradientsOn('wasm', name, x, labels);
      expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
      for (const [k, g] of got) {
        const scale = Math.max(1e-3, maxAbs(ref.get(k)!));
        expect(maxAbsDiff(g, ref.get(k)!) / scale, k).toBeLessThan(1e-4);
      }
    });
  }
});

describe('training mode', () => {
  it('BatchNormalization uses batch statistics, updates running ones with momentum, and inference uses them', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const model = testModel((b) => {
      const x = b.input('x', [4, 3, 5, 5]);
      const c = b.node('Conv', [x, b.initializer(floatTensor('w', [2, 3, 3, 3], randomFloats(54, 1)))], ['c'], { kernel_shape: [3, 3] })[0]!;
      const bn = ['s', 'b', 'm', 'v'].map((n, i) => b.initializer(floatTensor(n, [2], [[1.5, 0.5], [0.1, -0.2], [0.3, -0.1], [2, 0.5]][i]!)));
      return b.node('BatchNormalization', [c, ...bn], ['y'], { momentum: 0.8, epsilon: 1e-5 });
    });
    const exec = new OnnxExecutor(model);
    const x = randomFloats(4 * 75, 2);
    const conv = tf.tidy(() => exec.run({ x: tf.tensor(x, [4, 3, 5, 5]) }, { outputs: ['c'] }).c!.arraySync() as number[][][][]);
    const train = runExecutor(exec, { x: { data: x, dims: [4, 3, 5, 5] } }, true).y!;
    for (let ch = 0; ch < 2; ch++) {
      const vals = conv.flatMap((n) => n[ch]!.flat());
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length; // biased, as ONNX training mode
      const runningMean = tensorToFloat32(exec.writeBack().graph!.initializer!.find((t) => t.name === 'm')!)[ch]!;
      const runningVar = tensorToFloat32(exec.writeBack().graph!.initializer!.find((t) => t.name === 'v')!)[ch]!;
      expect(runningMean).toBeCloseTo([0.3, -0.1][ch]! * 0.8 + mean * 0.2, 5);
      expect(runningVar).toBeCloseTo([2, 0.5][ch]! * 0.8 + variance * 0.2, 5);
      const first = train.data[ch * 9]!; // y[0, ch, 0, 0]
      expect(first).toBeCloseTo(((conv[0]![ch]![0]![0]! - mean) / Math.sqrt(variance + 1e-5)) * [1.5, 0.5][ch]! + [0.1, -0.2][ch]!, 4);
    }
    // Inference now follows the updated running statistics — as onnxruntime does on the written-back model.
    const feeds = { x: { data: x, dims: [4, 3, 5, 5] } };
    const ours = runExecutor(exec, feeds).y!;
    const ref = (await runOrt(exec.writeBack(), feeds)).y!;
    expect(maxAbsDiff(ours.data, ref.data)).toBeLessThan(1e-4);
    exec.dispose();
  });

  it('Dropout is inverted dropout with seeded masks in training and the identity in inference', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const model = testModel((b) => b.node('Dropout', [b.input('x', [50, 200]), b.initializer(floatTensor('r', [], [0.25]))], ['y']));
    const ones = { x: { data: new Float32Array(10000).fill(1), dims: [50, 200] } };
    const masks = [1, 1, 2].map((seed) => {
      const exec = new OnnxExecutor(model, { seed });
      const y = runExecutor(exec, ones, true).y!.data;
      expect(runExecutor(exec, ones).y!.data).toEqual(ones.x.data);
      exec.dispose();
      return y;
    });
    const dropped = masks[0]!.filter((v) => v === 0).length / 10000;
    expect(dropped).toBeGreaterThan(0.22);
    expect(dropped).toBeLessThan(0.28);
    expect(masks[0]!.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).not.toEqual(masks[0]);
  });

  it('QuantizeLinear→DequantizeLinear is fake quantization with a straight-through gradient', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const model = testModel((b) => {
      const w = b.initializer(floatTensor('w', [6], [-2, -0.504, 0.0149, 0.3, 0.63, 1.5]));
      const s = b.initializer(floatTensor('s', [], [0.01]));
      const z = b.initializer(int8Tensor('z', [], Int8Array.from([0])));
      const dq = b.node('DequantizeLinear', [b.node('QuantizeLinear', [w, s, z], ['q'])[0]!, s, z], ['wdq'])[0]!;
      return b.node('MatMul', [b.input('x', [1, 6]), dq], ['y']);
    });
    const exec = new OnnxExecutor(model);
    expect([...exec.variables.keys()]).toEqual(['w']); // the float weight behind Q/DQ is trained (QAT)
    const x = tf.ones([1, 6]);
    const wdq = tf.tidy(() => Array.from(exec.run({ x }, { outputs: ['wdq'] }).wdq!.dataSync()));
    expect(wdq.map((v) => Math.round(v * 1000) / 1000)).toEqual([-1.28, -0.5, 0.01, 0.3, 0.63, 1.27]);
    const g = tf.tidy(() => Array.from(tf.variableGrads(() => tf.sum(exec.run({ x }, { training: true }).y!) as tf.Scalar, exec.trainableVariables()).grads[exec.variables.get('w')!.name]!.dataSync()));
    expect(g.map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 1, 1, 1, 1, 0]); // saturated values get no gradient
    x.dispose();
    exec.dispose();
  });

  it('training steps keep the tensor count flat', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    for (const name of ['mobilenet-tiny', 'lenet-300-100']) {
      const exec = new OnnxExecutor(getZooModel(name).build(1), { seed: 1 });
      const opt = new ScheduledAdam(1e-3);
      const ends = { input: 'input', sampleDims: [1, 28, 28], output: 'logits' };
      const batch = { x: randomFloats(8 * 784, 3, 0, 1), y: Int32Array.from({ length: 8 }, (_, i) => i) };
      const step = () => trainStep(exec, opt, ends, { task: 'classification', labelSmoothing: 0.1, decay: 1e-4 }, batch);
      step(); // Adam creates its moment variables on the first step
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors, name).toBe(before);
      opt.dispose();
      exec.dispose();
    }
  });
});
