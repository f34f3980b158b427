import type { DataSplit } from '@edgefit/data';
import type { onnx } from '@edgefit/onnx';
import { createExecutor } from '../executor/create-executor.js';
import { trainingEndpoints } from './endpoints.js';
import { validationMetric } from './evaluate.js';
import type { TrainTask } from './fit-types.js';

/**
 * Score a model on a split with the training executor (inference mode):
 * accuracy for classification, −MSE for reconstruction. The same number
 * `fit` reports as valMetric; onnxruntime-based evaluation lives in
 * @edgefit/evaluate.
 */
export async function scoreModel(model: onnx.IModelProto, split: DataSplit, task: TrainTask = 'classification', batchSize = 256): Promise<number> {
  const exec = await createExecutor(model);
  try {
    return validationMetric(exec, split, trainingEndpoints(model, exec, task), task, batchSize);
  } finally {
    exec.dispose();
  }
}
