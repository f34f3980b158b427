import type { InferenceSession } from 'onnxruntime-node';
import { DatasetError, InvalidModelError } from '@edgefit/core';
import type { DataSplit, Dataset, SplitName } from '@edgefit/data';
import { forEachBatch, planBatches, withSession } from './batch-runner.js';

export interface EvaluateOptions {
  /** Samples per run when the model's batch dim is free (default 256). */
  batchSize?: number;
  /** onnxruntime intra-op threads when a session is created here (default 1). */
  threads?: number;
  /** Name reported in the result (default 'test'). */
  splitName?: string;
  /** Per-sample shape of the data, e.g. [1, 28, 28], to fill free dims and name shapes in errors. */
  sampleShape?: readonly number[];
}

export interface AccuracyResult {
  /** Fraction of samples whose argmax score is the label, 0–1. */
  accuracy: number;
  samples: number;
  correct: number;
  split: string;
}

/** Index of the largest of `n` values from `offset` (first one on ties). */
export function argmax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  let max = values[offset]!;
  for (let k = 1; k < n; k++) {
    const v = values[offset + k]!;
    if (v > max || Number.isNaN(max)) {
      max = v;
      best = k;
    }
  }
  return best;
}

/**
 * Accuracy of an ONNX classifier (first input, first output = one score per
 * class) on a split: argmax of the scores against the labels.
 */
export async function evaluateAccuracy(model: Uint8Array | InferenceSession, split: DataSplit, opts: EvaluateOptions = {}): Promise<AccuracyResult> {
  const splitName = opts.splitName ?? 'test';
  if (split.count === 0) throw new DatasetError(`split '${splitName}' holds no samples`);
  return withSession(model, opts, async (session) => {
    const plan = planBatches(session, split.sampleSize, opts);
    let correct = 0;
    await forEachBatch(session, split, plan, ({ output, perSample, start, count }) => {
      if (perSample < 2) throw new InvalidModelError(`model output '${plan.outputName}' gives ${perSample} value per sample; a classifier gives one score per class`);
      for (let i = 0; i < count; i++) if (argmax(output, i * perSample, perSample) === split.y[start + i]) correct++;
    });
    return { accuracy: correct / split.count, samples: split.count, correct, split: splitName };
  });
}

/** Accuracy on one split of a dataset (default: test), with the dataset's shapes. */
export async function evaluateDatasetAccuracy(
  model: Uint8Array | InferenceSession,
  dataset: Dataset,
  splitName: SplitName = 'test',
  opts: Omit<EvaluateOptions, 'splitName' | 'sampleShape'> = {},
): Promise<AccuracyResult> {
  return evaluateAccuracy(model, dataset.splits[splitName], { ...opts, splitName, sampleShape: dataset.inputShape });
}
