import * as tf from '@tensorflow/tfjs';

/** tfjs' Adam with a learning rate that can change between steps (for the schedule). */
export class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}
