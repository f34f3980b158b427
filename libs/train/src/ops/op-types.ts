import type * as tf from '@tensorflow/tfjs';
import type { onnx } from '@edgefit/onnx';
import type { Value } from '../executor/value.js';

/** What an op sees of the graph while it is compiled (once, when the executor is created). */
export interface CompileContext {
  /** Opset version of the default ONNX domain. */
  readonly opset: number;
  /** `node 'x' (Op)`, for error messages. */
  readonly where: string;
  /** The static value of a graph value (initializer or folded Constant), if it has one. */
  constant(name: string): onnx.ITensorProto | undefined;
}

/** What an op sees while it runs (every forward pass). */
export interface RunContext {
  /** Training mode: batch statistics in BatchNormalization, active Dropout. */
  readonly training: boolean;
  /** `count` uniform values in [0, 1) from the executor's seeded stream (dropout masks). */
  uniform(count: number): Float32Array;
  /** Give a state variable (BN running statistics) a new value at the end of this pass. */
  updateState(name: string, value: tf.Tensor): void;
}

/** A compiled node: inputs in node order (undefined for omitted optional inputs) → outputs in node order. */
export type Kernel = (inputs: ReadonlyArray<Value | undefined>, ctx: RunContext) => Value[];

/**
 * One ONNX operator. `compile` parses attributes and static inputs once and
 * throws UnsupportedOperatorError for anything it cannot run, so a model is
 * refused when the executor is created, never in the middle of training.
 */
export interface OpDefinition {
  readonly opType: string;
  compile(node: onnx.INodeProto, ctx: CompileContext): Kernel;
  /** Evaluate the node at compile time when its value is static (Constant). */
  fold?(node: onnx.INodeProto, ctx: CompileContext): onnx.ITensorProto | undefined;
}
