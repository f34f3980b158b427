import type { DataSplit } from '@edgefit/data';
import { anomalyClasses, modelTask, type onnx } from '@edgefit/onnx';
import { evaluateAccuracy, type EvaluateOptions } from './accuracy-evaluator.js';
import { evaluateAnomaly } from './anomaly-evaluator.js';

export interface TaskScore {
  metric: 'accuracy' | 'auroc';
  /** Accuracy for a classifier, AUROC for an autoencoder; 0–1. */
  value: number;
  samples: number;
}

/**
 * The one number edgefit reports for a model on a split, by the task the model
 * records: accuracy for classifiers, AUROC of the reconstruction error for
 * autoencoders (against `classes`, default the model's own anomaly classes).
 */
export async function scoreModel(model: onnx.IModelProto, bytes: Uint8Array, split: DataSplit, opts: EvaluateOptions = {}, classes?: number[]): Promise<TaskScore> {
  if (modelTask(model) === 'anomaly') {
    const r = await evaluateAnomaly(bytes, split, classes ?? anomalyClasses(model), opts);
    return { metric: 'auroc', value: r.auroc, samples: r.samples };
  }
  const r = await evaluateAccuracy(bytes, split, opts);
  return { metric: 'accuracy', value: r.accuracy, samples: r.samples };
}
