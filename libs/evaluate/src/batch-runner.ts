import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { DatasetError, InvalidModelError } from '@edgefit/core';
import type { DataSplit } from '@edgefit/data';
import { createSession, runSession } from './ort-session.js';
import { formatDims, isFixedDim, singleFloatInput, type Dim } from './model-io.js';

export const DEFAULT_EVAL_BATCH = 256;

export interface BatchPlan {
  inputName: string;
  outputName: string;
  /** Samples per run; the model's own batch size when its first dim is fixed. */
  batchSize: number;
  /** True when every run must be padded to exactly batchSize samples. */
  fixedBatch: boolean;
  /** Per-sample dims the input tensor gets. */
  sampleDims: number[];
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Per-sample dims of the model input for samples of `sampleSize` values (free dims taken from sampleShape or solved). */
function resolveSampleDims(declared: readonly Dim[], sampleSize: number, sampleShape: readonly number[] | undefined, what: string): number[] {
  const mismatch = () =>
    new DatasetError(`model input ${what} does not fit the dataset's samples of shape ${sampleShape ? formatDims(sampleShape) : `[${sampleSize}]`} (${sampleSize} values per sample)`);
  if (declared.length === 0) return sampleShape ? [...sampleShape] : [sampleSize];
  let dims = declared.map((d, i) => (isFixedDim(d) ? d : sampleShape && sampleShape.length === declared.length ? sampleShape[i]! : -1));
  const free = dims.filter((d) => d < 0).length;
  if (free === 1) {
    const known = product(dims.filter((d) => d > 0));
    dims = dims.map((d) => (d < 0 ? sampleSize / known : d));
  } else if (free > 1) {
    throw mismatch();
  }
  if (dims.some((d) => !Number.isInteger(d) || d < 1) || product(dims) !== sampleSize) throw mismatch();
  return dims;
}

/** How to feed a split to a session: batch size, padding, input dims. */
export function planBatches(session: InferenceSession, sampleSize: number, opts: { batchSize?: number; sampleShape?: readonly number[] } = {}): BatchPlan {
  const input = singleFloatInput(session);
  const [lead, ...rest] = input.dims;
  const fixedBatch = isFixedDim(lead);
  const batchSize = fixedBatch ? lead : (opts.batchSize ?? DEFAULT_EVAL_BATCH);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const what = `'${input.name}' ${formatDims(input.dims)}`;
  const sampleDims = resolveSampleDims(input.dims.length === 0 ? [] : rest, sampleSize, opts.sampleShape, what);
  return { inputName: input.name, outputName: session.outputNames[0]!, batchSize, fixedBatch, sampleDims };
}

/** One run's first output, with `perSample` values for each of the `count` samples from `start`. */
export interface BatchOutput {
  output: Float32Array;
  perSample: number;
  start: number;
  count: number;
}

/** Run the whole split through the session batch by batch (the last one zero-padded if the batch size is fixed). */
export async function forEachBatch(
  session: InferenceSession,
  split: DataSplit,
  plan: BatchPlan,
  onBatch: (batch: BatchOutput) => void,
): Promise<void> {
  const { sampleSize } = split;
  for (let start = 0; start < split.count; start += plan.batchSize) {
    const count = Math.min(plan.batchSize, split.count - start);
    const rows = plan.fixedBatch ? plan.batchSize : count;
    const x = new Float32Array(rows * sampleSize);
    x.set(split.x.subarray(start * sampleSize, (start + count) * sampleSize));
    const results = await runSession(session, { [plan.inputName]: new Tensor('float32', x, [rows, ...plan.sampleDims]) });
    const out = results[plan.outputName]!;
    if (out.type !== 'float32') throw new InvalidModelError(`model output '${plan.outputName}' is ${out.type}; float32 scores are needed`);
    const perSample = out.size / rows;
    if (!Number.isInteger(perSample) || perSample < 1) {
      throw new InvalidModelError(`model output '${plan.outputName}' has ${out.size} values for a batch of ${rows}: not one row per sample`);
    }
    onBatch({ output: out.data as Float32Array, perSample, start, count });
  }
}

/** A session for bytes (created and released here) or the caller's own session. */
export async function withSession<T>(
  model: Uint8Array | InferenceSession,
  opts: { threads?: number; batchSize?: number },
  use: (session: InferenceSession) => Promise<T>,
): Promise<T> {
  if (!(model instanceof Uint8Array)) return use(model);
  const session = await createSession(model, { batch: opts.batchSize ?? DEFAULT_EVAL_BATCH, ...(opts.threads === undefined ? {} : { threads: opts.threads }) });
  try {
    return await use(session);
  } finally {
    await session.release();
  }
}
