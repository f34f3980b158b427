import type * as tf from '@tensorflow/tfjs';

export interface ExecutorOptions {
  /** Seed of the dropout masks (default 0). */
  seed?: number;
  /** Initializers to keep constant even where they would be trained. */
  freeze?: Iterable<string>;
}

export interface RunOptions {
  /** Training mode: BN uses batch statistics and updates its running ones; Dropout is active. Default false. */
  training?: boolean;
  /** Values to return (graph outputs by default; any value name of the graph works). */
  outputs?: readonly string[];
}

/** A graph input the executor must be fed: name and ONNX shape (strings are symbolic dims). */
export interface GraphInputInfo {
  name: string;
  shape: (number | string)[];
}

/** Named tensors in ONNX layout, as fed to and returned by `run`. */
export type TensorMap = Record<string, tf.Tensor>;

/** Current values of the trained and state initializers, by name. */
export type WeightSnapshot = Map<string, Float32Array>;
