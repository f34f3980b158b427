import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '@edgefit/core';
import { loadDataset, subset, type DataSplit } from '@edgefit/data';
import { loadModel, type onnx } from '@edgefit/onnx';
import { initTrainingBackend } from '../backend.js';
import { getZooModel } from '../zoo/zoo-registry.js';
import { fit } from './fit.js';
import { distillationLoss } from './loss.js';

const TEACHER = fileURLToPath(new URL('../../../../models/lenet-300-100-mnist.onnx', import.meta.url));

let train: DataSplit;
let validation: DataSplit;
let teacher: onnx.ModelProto;
beforeAll(async () => {
  await initTrainingBackend({ prefer: 'wasm' });
  const mnist = loadDataset('mnist');
  train = subset(mnist.splits.train, 512, 1);
  validation = subset(mnist.splits.validation, 300, 1);
  teacher = loadModel(TEACHER); // trained here: 96.95% on the test split
});

describe('distillationLoss', () => {
  it('is T²·KL(teacher_T ‖ student_T): zero for equal logits, the hand-computed value otherwise', () => {
    const t = 2;
    const teacherLogits = [[2, 0, -1]];
    const studentLogits = [[0, 1, 0]];
    const softmax = (z: number[]) => z.map((v) => Math.exp(v / t) / z.reduce((a, w) => a + Math.exp(w / t), 0));
    const [p, q] = [softmax(teacherLogits[0]!), softmax(studentLogits[0]!)];
    const expected = t * t * p.reduce((a, pi, k) => a + pi * Math.log(pi / q[k]!), 0);
    const value = tf.tidy(() => {
      const soft = tf.logSoftmax(tf.div(tf.tensor2d(teacherLogits), t));
      return [distillationLoss(tf.tensor2d(studentLogits), soft, t).dataSync()[0]!, distillationLoss(tf.tensor2d(teacherLogits), soft, t).dataSync()[0]!];
    });
    expect(value[0]).toBeCloseTo(expected, 5);
    expect(expected).toBeGreaterThan(0.1);
    expect(Math.abs(value[1]!)).toBeLessThan(1e-6);
  });
});

describe('fit with distill', () => {
  // Every training label shifted to the next class: only the teacher knows the right answers.
  const wrong = () => ({ ...train, y: Int32Array.from(train.y, (y) => (y + 1) % 10) });
  const recipe = { epochs: 8, learningRate: 2e-3, seed: 1 };
  const run = (alpha: number) =>
    fit(getZooModel('lenet-300-100').build(3), { train: wrong(), validation }, { ...recipe, distill: { teacher, temperature: 4, alpha } });

  it('learns from the soft targets: with α = 1 a student on wrong labels does about as well as one on the right labels; with α = 0 it learns the wrong ones', async () => {
    const [soft, hard] = [await run(1), await run(0)];
    const labelled = await fit(getZooModel('lenet-300-100').build(3), { train, validation }, recipe);
    console.log(`512 samples, 8 epochs: distilled on wrong labels ${soft.bestValMetric}, trained on wrong labels ${hard.bestValMetric}, trained on right labels ${labelled.bestValMetric}`);
    expect(soft.bestValMetric).toBeGreaterThanOrEqual(0.75);
    expect(soft.bestValMetric).toBeGreaterThanOrEqual(labelled.bestValMetric - 0.05); // within 15 of 300 samples
    expect(hard.bestValMetric).toBeLessThan(0.15);
  });

  it('refuses a teacher that does not fit the student, and distillation of a reconstruction', async () => {
    const student = getZooModel('lenet-300-100').build(1);
    const autoencoder = getZooModel('autoencoder').build(1);
    await expect(fit(student, { train, validation }, { maxSteps: 1, distill: { teacher: autoencoder } })).rejects.toThrow(/teacher has 784 outputs per sample.*student 10/);
    await expect(fit(autoencoder, { train, validation }, { task: 'reconstruction', maxSteps: 1, distill: { teacher } })).rejects.toThrow(UserInputError);
    await expect(fit(student, { train, validation }, { distill: { teacher, temperature: 0 } })).rejects.toThrow(/distill.temperature/);
  });
});
