import { describe, expect, it } from 'vitest';
import { DatasetError, InvalidModelError } from '@edgefit/core';
import { loadMnist, type DataSplit } from '@edgefit/data';
import { argmax, evaluateAccuracy, evaluateDatasetAccuracy } from './accuracy-evaluator.js';
import { planBatches } from './batch-runner.js';
import { createSession } from './ort-session.js';
import { pixelPickerModel } from './test-models.js';

const PIXELS = [100, 200, 300, 350, 400, 406, 434, 490, 550, 600]; // class j scores pixel PIXELS[j]

/** The accuracy the pixel-picker model must reach, computed in JS. */
function handAccuracy(split: DataSplit): number {
  let correct = 0;
  const scores = new Float32Array(PIXELS.length);
  for (let i = 0; i < split.count; i++) {
    PIXELS.forEach((p, j) => (scores[j] = split.x[i * split.sampleSize + p]!));
    if (argmax(scores, 0, PIXELS.length) === split.y[i]) correct++;
  }
  return correct / split.count;
}

describe('accuracy evaluator', () => {
  const mnist = loadMnist();
  const test = mnist.splits.test;
  const expected = handAccuracy(test);

  it('equals the hand-computed accuracy of a known-weight model, for [N,784] and [N,1,28,28] inputs', async () => {
    expect(expected).toBeGreaterThan(0.05);
    const flat = await evaluateAccuracy(pixelPickerModel(PIXELS, ['N', 784], 784), test, { batchSize: 300 });
    expect(flat).toEqual({ accuracy: expected, samples: 2000, correct: Math.round(expected * 2000), split: 'test' });
    const nchw = await evaluateDatasetAccuracy(pixelPickerModel(PIXELS, ['batch', 1, 28, 28], 784), mnist, 'test');
    expect(nchw.accuracy).toBe(expected);
  });

  it("uses the model's fixed batch size, padding the last batch", async () => {
    const session = await createSession(pixelPickerModel(PIXELS, [7, 784], 784));
    expect(planBatches(session, 784, { batchSize: 256 })).toMatchObject({ batchSize: 7, fixedBatch: true, sampleDims: [784] });
    const res = await evaluateAccuracy(session, test, { batchSize: 256 }); // 2000 = 285×7 + 5
    expect(res.accuracy).toBe(expected);
    await session.release();
  });

  it('counts exactly on a tiny hand-made split', async () => {
    // 4 pixels, 3 classes scoring pixels 0..2; labels right for samples 0, 2 and 3
    const x = Float32Array.from([0.9, 0.1, 0, 0, 0, 0.2, 0.8, 0, 0.3, 0.3, 0.1, 1, 0, 1, 0, 0, 0.5, 0.4, 0.4, 0]);
    const split = { x, y: Int32Array.from([0, 1, 0, 1, 1]), count: 5, sampleSize: 4 };
    const res = await evaluateAccuracy(pixelPickerModel([0, 1, 2], ['N', 4], 4), split, { batchSize: 2, splitName: 'validation' });
    expect(res).toEqual({ accuracy: 0.6, samples: 5, correct: 3, split: 'validation' });
  });

  it('names both shapes when the model input does not fit the data', async () => {
    const model = pixelPickerModel([0, 1], ['N', 3, 32, 32], 3072);
    await expect(evaluateDatasetAccuracy(model, mnist)).rejects.toThrow(DatasetError);
    await expect(evaluateDatasetAccuracy(model, mnist)).rejects.toThrow(/'x' \[N,3,32,32\] does not fit the dataset's samples of shape \[1,28,28\] \(784 values/);
  });

  it('refuses a model that gives one value per sample', async () => {
    await expect(evaluateAccuracy(pixelPickerModel([5], ['N', 784], 784), test)).rejects.toThrow(InvalidModelError);
  });
});
