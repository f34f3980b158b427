import * as tf from '@tensorflow/tfjs';
import type { DataSplit } from '@edgefit/data';
import type { OnnxExecutor } from '../executor/executor.js';
import type { Endpoints } from './endpoints.js';
import type { TrainTask } from './fit-types.js';

/**
 * Validation metric of the executor's current weights (inference mode):
 * accuracy for classification, −MSE for reconstruction — higher is better.
 */
export function validationMetric(exec: OnnxExecutor, split: DataSplit, ends: Endpoints, task: TrainTask, batchSize = 256): number {
  let total = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const n = Math.min(batchSize, split.count - start);
    total += tf.tidy(() => {
      const x = tf.tensor(split.x.subarray(start * split.sampleSize, (start + n) * split.sampleSize), [n, ...ends.sampleDims]);
      const out = exec.run({ [ends.input]: x }, { outputs: [ends.output] })[ends.output]!;
      if (task === 'classification') {
        const labels = tf.tensor1d(split.y.subarray(start, start + n), 'int32');
        return tf.sum(tf.equal(tf.argMax(out, -1), labels).toFloat()).dataSync()[0]!;
      }
      return tf.sum(tf.squaredDifference(out, tf.reshape(x, out.shape))).dataSync()[0]! / (out.size / n);
    });
  }
  return task === 'classification' ? total / split.count : -total / split.count;
}
