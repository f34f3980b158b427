import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '@edgefit/core';
import { loadMnist, subset } from '@edgefit/data';
import { evaluateAnomaly, reconstructionErrors } from './anomaly-evaluator.js';
import { auroc } from './auroc.js';
import { mlpModel, maskAutoencoderModel } from './test-models.js';

describe('anomaly evaluator', () => {
  const split = subset(loadMnist().splits.test, 300, 5);
  // keeps the left half of each image: the error is the mean of x² over the right half
  const mask = Float32Array.from({ length: 784 }, (_, i) => (i % 28 < 14 ? 1 : 0));

  it('scores by mean squared reconstruction error and computes the AUROC of it', async () => {
    const hand = Array.from({ length: split.count }, (_, s) => {
      let sum = 0;
      for (let i = 0; i < 784; i++) if (mask[i] === 0) sum += split.x[s * 784 + i]! ** 2;
      return sum / 784;
    });
    const scores = await reconstructionErrors(maskAutoencoderModel(mask), split, { batchSize: 64 });
    hand.forEach((h, i) => expect(scores[i]).toBeCloseTo(h, 6));
    const res = await evaluateAnomaly(maskAutoencoderModel(mask), split, [1, 7], { batchSize: 64 });
    const isAnomaly = Array.from(split.y, (y) => y === 1 || y === 7);
    expect(res.auroc).toBeCloseTo(auroc(hand, isAnomaly), 9);
    expect(res.anomalies).toBe(isAnomaly.filter(Boolean).length);
    expect(res.samples).toBe(300);
    expect(res.meanScoreNormal).toBeGreaterThan(0);
    // an identity reconstruction scores every sample 0: all ties, AUROC ½
    expect((await evaluateAnomaly(maskAutoencoderModel(new Float32Array(784).fill(1)), split, [0])).auroc).toBe(0.5);
  });

  it('refuses a model that is not an autoencoder', async () => {
    await expect(evaluateAnomaly(mlpModel([784, 10]), split, [0])).rejects.toThrow(InvalidModelError);
  });
});
