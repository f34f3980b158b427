import * as tf from '@tensorflow/tfjs';
import { DatasetError } from '@edgefit/core';
import type { DataSplit } from '@edgefit/data';
import type { OnnxExecutor } from '../executor/executor.js';
import type { Endpoints } from './endpoints.js';
import type { TrainTask } from './fit-types.js';

/** Fail before training when labels do not fit the classifier or outputs cannot reconstruct the input. */
export function checkTargets(exec: OnnxExecutor, ends: Endpoints, task: TrainTask, splits: DataSplit[]): void {
  const outShape = tf.tidy(() => {
    const x = tf.zeros([1, ...ends.sampleDims]);
    return exec.run({ [ends.input]: x }, { outputs: [ends.output] })[ends.output]!.shape;
  });
  const sampleSize = ends.sampleDims.reduce((a, b) => a * b, 1);
  if (task === 'reconstruction') {
    const outSize = outShape.slice(1).reduce((a, b) => a * b, 1);
    if (outSize !== sampleSize) throw new DatasetError(`reconstruction needs an output of ${sampleSize} values per sample; '${ends.output}' has shape [${outShape.join(', ')}]`);
    return;
  }
  const classes = outShape[outShape.length - 1]!;
  for (const split of splits) {
    for (const label of split.y) {
      if (!(label >= 0 && label < classes)) throw new DatasetError(`label ${label} is outside the ${classes} classes of '${ends.output}'`);
    }
  }
}
