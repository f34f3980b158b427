import type { InferenceSession } from 'onnxruntime-node';
import { InvalidModelError } from '@edgefit/core';

export type Dim = number | string;

export interface TensorSpec {
  name: string;
  type: string;
  /** Declared dims; strings (and non-positive numbers) are free. */
  dims: Dim[];
}

export function isFixedDim(d: Dim | undefined): d is number {
  return typeof d === 'number' && d > 0;
}

function specs(meta: readonly InferenceSession.ValueMetadata[], names: readonly string[]): TensorSpec[] {
  return names.map((name, i) => {
    const m = meta[i];
    if (m && m.isTensor) return { name, type: m.type, dims: [...m.shape] };
    return { name, type: 'non-tensor', dims: [] };
  });
}

export function inputSpecs(session: InferenceSession): TensorSpec[] {
  return specs(session.inputMetadata, session.inputNames);
}

export function outputSpecs(session: InferenceSession): TensorSpec[] {
  return specs(session.outputMetadata, session.outputNames);
}

/** The one float32 input of a model evaluated on image data. */
export function singleFloatInput(session: InferenceSession): TensorSpec {
  const inputs = inputSpecs(session);
  if (inputs.length !== 1) {
    throw new InvalidModelError(`model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); evaluation on a dataset feeds exactly one`);
  }
  const input = inputs[0]!;
  if (input.type !== 'float32') throw new InvalidModelError(`model input '${input.name}' is ${input.type}; evaluation feeds float32 images`);
  return input;
}

export function formatDims(dims: readonly Dim[]): string {
  return `[${dims.join(',')}]`;
}
