import { UserInputError } from '@edgefit/core';
import type { onnx } from '@edgefit/onnx';
import type { OnnxExecutor } from '../executor/executor.js';
import type { TrainTask } from './fit-types.js';

/** Where training feeds the graph and which value the loss reads. */
export interface Endpoints {
  input: string;
  /** Shape of one sample (the input's dims after the batch dim). */
  sampleDims: number[];
  output: string;
}

/**
 * The graph input and the value the loss is taken on: the first output, or
 * for classification the logits feeding it when the graph ends in Softmax
 * (cross-entropy wants logits, and exporters often append the Softmax).
 */
export function trainingEndpoints(model: onnx.IModelProto, exec: OnnxExecutor, task: TrainTask): Endpoints {
  if (exec.inputs.length !== 1) throw new UserInputError(`training needs a model with one input; this one has ${exec.inputs.length} (${exec.inputs.map((i) => i.name).join(', ')})`);
  const input = exec.inputs[0]!;
  const sampleDims = input.shape.slice(1);
  if (!sampleDims.every((d): d is number => typeof d === 'number' && d > 0)) {
    throw new UserInputError(`input '${input.name}' has shape [${input.shape.join(', ')}]; training needs every dim after the batch dim fixed`);
  }
  const first = exec.outputNames[0];
  if (!first) throw new UserInputError('the model has no outputs');
  const producer = (model.graph?.node ?? []).find((n) => n.output?.includes(first));
  const output = task === 'classification' && producer?.opType === 'Softmax' && producer.input?.[0] ? producer.input[0] : first;
  return { input: input.name, sampleDims, output };
}
