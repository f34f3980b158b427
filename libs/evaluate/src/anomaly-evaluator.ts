import type { InferenceSession } from 'onnxruntime-node';
import { DatasetError, InvalidModelError } from '@edgefit/core';
import type { DataSplit } from '@edgefit/data';
import type { EvaluateOptions } from './accuracy-evaluator.js';
import { auroc } from './auroc.js';
import { forEachBatch, planBatches, withSession } from './batch-runner.js';

export interface AnomalyResult {
  /** AUROC of the reconstruction error as an anomaly score, 0–1. */
  auroc: number;
  samples: number;
  anomalies: number;
  split: string;
  meanScoreNormal: number;
  meanScoreAnomaly: number;
}

/** Mean squared reconstruction error of each sample of a split under an autoencoder. */
export async function reconstructionErrors(model: Uint8Array | InferenceSession, split: DataSplit, opts: EvaluateOptions = {}): Promise<Float64Array> {
  return withSession(model, opts, async (session) => {
    const plan = planBatches(session, split.sampleSize, opts);
    const scores = new Float64Array(split.count);
    await forEachBatch(session, split, plan, ({ output, perSample, start, count }) => {
      if (perSample !== split.sampleSize) {
        throw new InvalidModelError(`model output '${plan.outputName}' has ${perSample} values per sample but the input has ${split.sampleSize}: not an autoencoder`);
      }
      for (let i = 0; i < count; i++) {
        const base = (start + i) * perSample;
        let sum = 0;
        for (let k = 0; k < perSample; k++) {
          const d = output[i * perSample + k]! - split.x[base + k]!;
          sum += d * d;
        }
        scores[start + i] = sum / perSample;
      }
    });
    return scores;
  });
}

/**
 * Anomaly detection quality of an autoencoder: score = mean squared
 * reconstruction error; AUROC of the score against "label ∈ anomalyClasses".
 */
export async function evaluateAnomaly(
  model: Uint8Array | InferenceSession,
  split: DataSplit,
  anomalyClasses: readonly number[],
  opts: EvaluateOptions = {},
): Promise<AnomalyResult> {
  const splitName = opts.splitName ?? 'test';
  if (anomalyClasses.length === 0) throw new DatasetError('anomaly evaluation needs at least one anomaly class');
  const scores = await reconstructionErrors(model, split, opts);
  const anomalous = new Set(anomalyClasses);
  const isAnomaly = Array.from(split.y, (label) => anomalous.has(label));
  const sums = [0, 0];
  isAnomaly.forEach((a, i) => (sums[a ? 1 : 0]! += scores[i]!));
  const anomalies = isAnomaly.filter(Boolean).length;
  const value = auroc(scores, isAnomaly);
  return {
    auroc: value,
    samples: split.count,
    anomalies,
    split: splitName,
    meanScoreNormal: sums[0]! / (split.count - anomalies),
    meanScoreAnomaly: sums[1]! / anomalies,
  };
}
