import type { SeededRng } from '@edgefit/core';
import type { DataSplit, Dataset } from '@edgefit/data';
import type { onnx } from '@edgefit/onnx';
import type { DistillOptions } from '@edgefit/train';
import type { ParamSchema, ResolvedParams } from './param-schema.js';

/** Options a pass gives when it asks for fine-tuning. */
export interface FineTuneRequest {
  epochs?: number;
  learningRate?: number;
  /** initializer name → 0/1 mask; masked weights stay exactly zero. */
  masks?: Map<string, Float32Array>;
  /** Stop after this many optimizer steps (fast tests). */
  maxSteps?: number;
  /** Learn from a teacher's soft targets too (classifiers only), e.g. the model before the pass changed it. */
  distill?: DistillOptions;
}

/**
 * Median latency (ms) of each model, measured side by side on the host with
 * the same inputs (one call compares its models fairly; separate calls may
 * not). `form: auto` decides from these numbers.
 */
export type LatencyProbe = (models: Uint8Array[]) => Promise<number[]>;

export interface PassContext {
  /** The dataset, when the user gave one (calibration, fine-tuning, accuracy). */
  dataset?: Dataset;
  /** Calibration samples drawn from the training split. */
  calibration?: DataSplit;
  rng: SeededRng;
  /** Fine-tune the current graph on the training split (differentiable ONNX executor). */
  fineTune?(model: onnx.ModelProto, request: FineTuneRequest): Promise<onnx.ModelProto>;
  /**
   * How passes that choose by measurement (quantize `form: auto`) time
   * candidate models on this host. Absent: in-process onnxruntime, which
   * blocks the event loop while it runs — a server gives a child-process
   * probe here (libs/evaluate's childProcessProbe).
   */
  measureLatency?: LatencyProbe;
  /** Progress and notes for the user (stderr in the CLI). */
  log(message: string): void;
  /**
   * The context step `index` of a pipeline runs in: its fine-tuning draws
   * depend on the step, not on how many fine-tunes ran before it — so a
   * pipeline that resumes from a cached prefix gives the same model as one
   * run whole. Absent: the same context for every step.
   */
  forStep?(index: number): PassContext;
}

export interface LayerReport {
  layer: string;
  op: string;
  [key: string]: unknown;
}

export interface PassReport {
  pass: string;
  params: ResolvedParams;
  layers: LayerReport[];
  /** Layers that run from dequantized weights because no onnxruntime kernel runs their bit width. */
  simulated: string[];
  notes: string[];
}

export interface PassResult {
  model: onnx.ModelProto;
  report: PassReport;
}

/**
 * One compression technique. It declares its searchable parameters and
 * transforms a model; it must return a valid ONNX model that onnxruntime runs
 * and never mutate its input.
 */
export interface Pass {
  readonly name: string;
  readonly description: string;
  readonly params: ParamSchema;
  /**
   * True when, with these params, the output depends on latency measured on
   * the host (e.g. quantize `form: auto`): the pipeline cache then keys it
   * by the host as well. Absent: the output depends on model, params and
   * context only.
   */
  measures?(params: ResolvedParams): boolean;
  apply(model: onnx.ModelProto, params: ResolvedParams, ctx: PassContext): Promise<PassResult>;
}
