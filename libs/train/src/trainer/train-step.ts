import * as tf from '@tensorflow/tfjs';
import type { OnnxExecutor } from '../executor/executor.js';
import type { Endpoints } from './endpoints.js';
import type { TrainTask } from './fit-types.js';
import { distillationLoss, meanSquaredError, softmaxCrossEntropy } from './loss.js';
import type { ScheduledAdam } from './scheduled-adam.js';
import type { Teacher } from './teacher.js';

export interface StepBatch {
  x: Float32Array;
  y: Int32Array;
}

export interface StepSettings {
  task: TrainTask;
  labelSmoothing: number;
  /** Decoupled weight decay already multiplied by the step's learning rate. */
  decay: number;
  /** Classification with distillation: the teacher whose soft targets join the loss. */
  teacher?: Teacher;
}

/** The loss of one batch in training mode, on the executor's graph (`soft`: the teacher's log-probabilities at temperature T). */
function batchLoss(exec: OnnxExecutor, ends: Endpoints, s: StepSettings, x: tf.Tensor, y: Int32Array, soft: tf.Tensor | undefined): tf.Scalar {
  const out = exec.run({ [ends.input]: x }, { training: true, outputs: [ends.output] })[ends.output]!;
  if (s.task === 'reconstruction') return meanSquaredError(out, x);
  const hard = softmaxCrossEntropy(out, tf.tensor1d(y, 'int32'), s.labelSmoothing);
  if (!soft || !s.teacher) return hard;
  const { alpha, temperature } = s.teacher;
  return tf.add(tf.mul(hard, 1 - alpha), tf.mul(distillationLoss(out, soft, temperature), alpha)) as tf.Scalar;
}

/** One optimizer step (Adam, then decoupled weight decay on rank ≥ 2 weights); returns the batch loss. */
export function trainStep(exec: OnnxExecutor, opt: ScheduledAdam, ends: Endpoints, s: StepSettings, batch: StepBatch): number {
  return tf.tidy(() => {
    const x = tf.tensor(batch.x, [batch.y.length, ...ends.sampleDims]);
    // The teacher sees the same (augmented) batch; its outputs are constants to the student's gradient.
    const soft = s.teacher?.logProbs(x);
    const { value, grads } = tf.variableGrads(() => batchLoss(exec, ends, s, x, batch.y, soft), exec.trainableVariables());
    opt.applyGradients(grads as tf.NamedTensorMap as Parameters<ScheduledAdam['applyGradients']>[0]);
    if (s.decay > 0) for (const v of exec.trainableVariables()) if (v.rank >= 2) v.assign(tf.mul(v, 1 - s.decay));
    return value.dataSync()[0]!;
  });
}
