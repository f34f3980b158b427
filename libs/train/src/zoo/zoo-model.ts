import type { onnx } from '@edgefit/onnx';

export type ZooTask = 'classification' | 'anomaly';

/** A built-in model: an ONNX graph authored here, with seeded initialization. */
export interface ZooModel {
  readonly name: string;
  readonly description: string;
  readonly task: ZooTask;
  /** Per-sample input shape the graph expects (NCHW without N). */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Default training recipe tuned for this architecture. */
  readonly recipe: { epochs: number; batchSize: number; learningRate: number; shiftPixels: number };
  build(seed: number): onnx.ModelProto;
}
