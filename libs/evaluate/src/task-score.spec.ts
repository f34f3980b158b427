import { describe, expect, it } from 'vitest';
import { ModelBuilder, anomalyClasses, encodeModel, floatTensor, modelTask } from '@edgefit/onnx';
import { scoreModel } from './task-score.js';

/** A 2-pixel "classifier" (logits = pixels) and an identity "autoencoder" that reconstructs pixel 0 only. */
function model(task: 'classification' | 'anomaly') {
  const b = new ModelBuilder(task);
  b.input('input', ['N', 2]);
  const w = task === 'anomaly' ? [1, 0, 0, 0] : [1, 0, 0, 1];
  b.initializer(floatTensor('W', [2, 2], w));
  b.node('MatMul', ['input', 'W'], ['out']);
  b.output('out', ['N', 2]);
  if (task === 'anomaly') b.meta('edgefit.task', 'anomaly').meta('edgefit.anomaly_classes', '1');
  return b.build();
}

// Samples of class 0 have pixel 1 = 0 (reconstructed exactly); class 1 has pixel 1 > 0 (error > 0).
const split = { x: Float32Array.from([0.9, 0, 0.1, 0.8, 0.7, 0, 0.6, 0.4]), y: Int32Array.from([0, 1, 0, 1]), count: 4, sampleSize: 2 };

describe('scoreModel', () => {
  it('scores a classifier by accuracy', async () => {
    const m = model('classification');
    expect(modelTask(m)).toBe('classification');
    // argmax: [0,1,0,0] vs labels [0,1,0,1] → 3 of 4.
    expect(await scoreModel(m, encodeModel(m), split)).toEqual({ metric: 'accuracy', value: 0.75, samples: 4 });
  });

  it('scores an autoencoder by AUROC against its recorded anomaly classes', async () => {
    const m = model('anomaly');
    expect(modelTask(m)).toBe('anomaly');
    expect(anomalyClasses(m)).toEqual([1]);
    expect(await scoreModel(m, encodeModel(m), split)).toEqual({ metric: 'auroc', value: 1, samples: 4 });
    // Against class 0 as the anomalies the ranking is exactly inverted.
    expect((await scoreModel(m, encodeModel(m), split, {}, [0])).value).toBe(0);
  });
});
