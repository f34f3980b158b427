import * as ort from 'onnxruntime-node';
import { DatasetError, InvalidModelError } from '@edgefit/core';
import { int64, ortSessionOptions, type onnx } from '@edgefit/onnx';

/**
 * onnxruntime in this process, for calibration and for the in-process
 * latency probe: the CPU provider, one thread, full graph optimization
 * (the settings the evaluators use, so what is measured is what runs).
 */
export async function openSession(bytes: Uint8Array, threads = 1): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, ortSessionOptions(threads));
  } catch (err) {
    throw new InvalidModelError(`onnxruntime cannot load the quantized model: ${String(err instanceof Error ? err.message : err).split('\n')[0]}`, { cause: err });
  }
}

export interface ModelInput {
  name: string;
  /** Dims of one sample (without the batch dim). */
  sampleDims: number[];
  /** The model's fixed batch size, or undefined when the batch dim is free. */
  fixedBatch?: number;
}

/** The model's data input (the first graph input that is not an initializer), shaped for samples of `sampleSize` values. */
export function modelInput(graph: onnx.IGraphProto, sampleSize: number): ModelInput {
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const input = (graph.input ?? []).find((v) => !inits.has(v.name));
  if (!input) throw new InvalidModelError('the model has no data input');
  const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null ? int64(d.dimValue as number) : -1));
  const [lead, ...rest] = dims;
  const known = rest.filter((d) => d > 0).reduce((a, b) => a * b, 1);
  const free = rest.filter((d) => d <= 0).length;
  const sampleDims = free === 1 ? rest.map((d) => (d > 0 ? d : sampleSize / known)) : rest;
  if (free > 1 || sampleDims.some((d) => !Number.isInteger(d) || d < 1) || sampleDims.reduce((a, b) => a * b, 1) !== sampleSize) {
    throw new DatasetError(`model input '${input.name}' [${dims.map((d) => (d > 0 ? d : '?')).join(', ')}] does not fit samples of ${sampleSize} values`);
  }
  return { name: input.name!, sampleDims, fixedBatch: lead !== undefined && lead > 0 ? lead : undefined };
}

/** Run `count` samples from `x` through the session in batches; `visit` sees each batch's outputs. */
export async function runBatches(
  session: ort.InferenceSession,
  input: ModelInput,
  x: Float32Array,
  count: number,
  visit: (outputs: ort.InferenceSession.ReturnType, batchSize: number) => void,
  batchSize = 64,
): Promise<void> {
  const per = input.sampleDims.reduce((a, b) => a * b, 1);
  const b = input.fixedBatch ?? batchSize;
  for (let start = 0; start < count; start += b) {
    const n = Math.min(b, count - start);
    const data = new Float32Array(b * per);
    data.set(x.subarray(start * per, (start + n) * per));
    const feed = new ort.Tensor('float32', input.fixedBatch ? data : data.subarray(0, n * per), [input.fixedBatch ?? n, ...input.sampleDims]);
    visit(await session.run({ [input.name]: feed }), n);
  }
}
