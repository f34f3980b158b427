import { SeededRng } from '@edgefit/core';
import { subset, type Dataset } from '@edgefit/data';
import { anomalyClasses, modelTask, type onnx } from '@edgefit/onnx';
import { fineTune, type FitOptions } from '@edgefit/train';
import type { FineTuneRequest, LatencyProbe, PassContext } from './pass.js';

/** Fine-tuning settings the caller fixes for every pass (a pass's request may override epochs and rate). */
export interface FineTuneDefaults {
  epochs?: number;
  learningRate?: number;
  /** Linear warm-up before the cosine decay (fine-tuning default 0: no warm-up). */
  warmupEpochs?: number;
  /** Where the cosine decay ends, as a fraction of the peak rate (fine-tuning default 0.1). */
  finalLrFraction?: number;
  batchSize?: number;
  /** Cap on optimizer steps per fine-tuning run (quick runs, tests). */
  maxSteps?: number;
  /** Train on a seeded subset of this many training samples. */
  trainSubset?: number;
  /** Validate on a seeded subset of this many validation samples. */
  validationSubset?: number;
  shiftPixels?: number;
}

export interface PassContextOptions {
  dataset?: Dataset;
  seed: number;
  /** Training samples drawn (seeded) for calibration; default 256. */
  calibrationSamples?: number;
  fineTune?: FineTuneDefaults;
  /** How `form: auto` measures candidates (see PassContext.measureLatency); default in-process. */
  measureLatency?: LatencyProbe;
  log?: (message: string) => void;
}

export const DEFAULT_CALIBRATION_SAMPLES = 256;

/**
 * The context passes run in. With a dataset, `fineTune` trains the current
 * graph on the training split through libs/train's differentiable ONNX
 * executor (masks hold pruned weights at zero) and picks the epoch best on
 * the validation split; the test split is never touched here, so reported
 * test accuracy stays honest. Without a dataset there is no `fineTune` and
 * no calibration data: passes note that and go on.
 */
export function createPassContext(opts: PassContextOptions): PassContext {
  const rng = new SeededRng(opts.seed);
  const log = opts.log ?? (() => {});
  const dataset = opts.dataset;
  const measuring = opts.measureLatency ? { measureLatency: opts.measureLatency } : {};
  if (!dataset) return { rng, log, ...measuring };
  const calibration = subset(dataset.splits.train, opts.calibrationSamples ?? DEFAULT_CALIBRATION_SAMPLES, rng.fork('calibration').int(0, 0x7fffffff));
  const defaults = opts.fineTune ?? {};
  const forStep = (step: number): PassContext => {
    let runs = 0;
    return {
      dataset,
      calibration,
      rng,
      log,
      ...measuring,
      forStep,
      async fineTune(model: onnx.ModelProto, request: FineTuneRequest): Promise<onnx.ModelProto> {
        // An autoencoder trains on its normal classes only (those not named as anomalies in its metadata).
        const anomaly = modelTask(model) === 'anomaly';
        const anomalies = anomalyClasses(model);
        const normalClasses = anomaly ? Array.from({ length: dataset.numClasses }, (_, c) => c).filter((c) => !anomalies.includes(c)) : undefined;
        const options: FitOptions = {
          task: anomaly ? 'reconstruction' : 'classification',
          normalClasses,
          epochs: request.epochs ?? defaults.epochs,
          learningRate: request.learningRate ?? defaults.learningRate,
          warmupEpochs: defaults.warmupEpochs,
          finalLrFraction: defaults.finalLrFraction,
          batchSize: defaults.batchSize,
          maxSteps: minDefined(request.maxSteps, defaults.maxSteps),
          trainSubset: defaults.trainSubset,
          validationSubset: defaults.validationSubset,
          shiftPixels: defaults.shiftPixels,
          mask: request.masks,
          distill: request.distill,
          // Each run draws its own data order, reproducibly from the context seed and the pipeline step
          // (step 0 keeps the labels single-pass pipelines always had, so their results stay as recorded).
          seed: rng.fork(step === 0 ? `fine-tune-${runs++}` : `step-${step}-fine-tune-${runs++}`).int(0, 0x7fffffff),
        };
        const result = await fineTune(model, { train: dataset.splits.train, validation: dataset.splits.validation }, options);
        log(`fine-tuned ${result.epochs} epoch(s), ${result.steps} steps: validation ${result.bestValMetric.toFixed(4)}`);
        return result.model;
      },
    };
  };
  return forStep(0);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
