import * as tf from '@tensorflow/tfjs';
import { UserInputError } from '@edgefit/core';
import { OnnxExecutor } from '../executor/executor.js';
import { trainingEndpoints, type Endpoints } from './endpoints.js';
import type { DistillOptions } from './fit-types.js';

export const DISTILL_DEFAULTS = { temperature: 4, alpha: 0.5 };

/** Width of the last axis of `ends.output` for one zero sample (the class count of a classifier). */
function classCount(exec: OnnxExecutor, ends: Endpoints): number {
  return tf.tidy(() => {
    const out = exec.run({ [ends.input]: tf.zeros([1, ...ends.sampleDims]) }, { outputs: [ends.output] })[ends.output]!;
    return out.shape[out.rank - 1]!;
  });
}

/**
 * The teacher of a distillation run: its own executor in inference mode (BN
 * running statistics, no dropout), never trained. Its softened
 * log-probabilities of each training batch are the student's soft targets.
 */
export class Teacher {
  readonly temperature: number;
  readonly alpha: number;
  private readonly exec: OnnxExecutor;
  private readonly ends: Endpoints;

  constructor(opts: DistillOptions, student: OnnxExecutor, studentEnds: Endpoints) {
    this.temperature = opts.temperature ?? DISTILL_DEFAULTS.temperature;
    this.alpha = opts.alpha ?? DISTILL_DEFAULTS.alpha;
    this.exec = new OnnxExecutor(opts.teacher);
    try {
      this.ends = trainingEndpoints(opts.teacher, this.exec, 'classification');
      const dims = (e: Endpoints) => `[${e.sampleDims.join(', ')}]`;
      if (dims(this.ends) !== dims(studentEnds)) throw new UserInputError(`distillation: the teacher takes samples of shape ${dims(this.ends)}, the student ${dims(studentEnds)}`);
      const [t, s] = [classCount(this.exec, this.ends), classCount(student, studentEnds)];
      if (t !== s) throw new UserInputError(`distillation: the teacher has ${t} outputs per sample ('${this.ends.output}'), the student ${s} ('${studentEnds.output}')`);
    } catch (err) {
      this.exec.dispose();
      throw err;
    }
  }

  /** log softmax(teacher logits / T) of a batch in ONNX layout; the caller owns the result. */
  logProbs(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const logits = this.exec.run({ [this.ends.input]: x }, { outputs: [this.ends.output] })[this.ends.output]!;
      return tf.logSoftmax(tf.div(logits, this.temperature));
    });
  }

  dispose(): void {
    this.exec.dispose();
  }
}
