import { DatasetError, provenance, type Provenance } from '@edgefit/core';
import { loadDataset, subset, type Dataset, type DataSplit } from '@edgefit/data';
import { encodeModel, modelTask, setMetadata, type onnx } from '@edgefit/onnx';
import { fit, initTrainingBackend, getZooModel, type FitProgress } from '@edgefit/train';
import { scoreModel } from '@edgefit/evaluate';

export interface TrainJobOptions {
  /** Zoo model name (trained from scratch) or a model to fine-tune. */
  model: onnx.ModelProto;
  zoo?: string;
  dataset: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  shiftPixels?: number;
  /** Seed of data order, augmentation and dropout (weight init is the zoo build's seed). */
  seed?: number;
  /** Seed of the dataset split. */
  splitSeed?: number;
  /** Use only this many training samples (fast runs, tests). */
  trainLimit?: number;
  /** Anomaly classes for an autoencoder: trained without them, AUROC against them. */
  anomalyClasses?: number[];
  onProgress?: (p: FitProgress) => void;
}

export interface TrainJobResult {
  model: onnx.ModelProto;
  dataset: string;
  task: 'classification' | 'anomaly';
  /** Test-split accuracy (classifiers) or AUROC (autoencoders), 0–1. */
  accuracy: number;
  metric: 'accuracy' | 'auroc';
  validationMetric: number;
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  samples: { train: number; validation: number; test: number };
  split: Dataset['splitInfo'];
  history: Array<{ epoch: number; trainLoss: number; valMetric: number; lr: number; seconds: number }>;
  recipe: { epochs: number; batchSize: number; learningRate: number; shiftPixels: number; patience: number; seed: number };
  provenance: Provenance & { backend: string };
}

const FINE_TUNE_RECIPE = { epochs: 5, batchSize: 64, learningRate: 5e-4, shiftPixels: 1 };
export const DEFAULT_ANOMALY_CLASSES = [0];

function checkShapes(model: onnx.ModelProto, dataset: Dataset): void {
  const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
  const fixed = dims.slice(1).map((d) => (d.dimValue ? Number(d.dimValue) : NaN));
  const perSample = fixed.reduce((a, b) => a * b, 1);
  const sampleSize = dataset.inputShape.reduce((a, b) => a * b, 1);
  if (fixed.every(Number.isFinite) && perSample !== sampleSize) {
    throw new DatasetError(`model input takes [${fixed}] per sample but dataset '${dataset.name}' has [${dataset.inputShape}]`);
  }
}

/**
 * Train (zoo model) or fine-tune (any covered ONNX model) on a dataset, then
 * measure the result on the held-out test split with onnxruntime — the number
 * reported is what the saved ONNX file does, not what the trainer believes.
 */
export async function runTrainJob(opts: TrainJobOptions): Promise<TrainJobResult> {
  const dataset = loadDataset(opts.dataset, { seed: opts.splitSeed });
  checkShapes(opts.model, dataset);
  const task = modelTask(opts.model);
  const base = opts.zoo ? getZooModel(opts.zoo).recipe : FINE_TUNE_RECIPE;
  const recipe = {
    epochs: opts.epochs ?? base.epochs,
    batchSize: opts.batchSize ?? base.batchSize,
    learningRate: opts.learningRate ?? base.learningRate,
    shiftPixels: opts.shiftPixels ?? base.shiftPixels,
    patience: opts.patience ?? 8,
    seed: opts.seed ?? 1,
  };
  const anomalyClasses = opts.anomalyClasses ?? DEFAULT_ANOMALY_CLASSES;
  const normalClasses = task === 'anomaly'
    ? Array.from({ length: dataset.numClasses }, (_, c) => c).filter((c) => !anomalyClasses.includes(c))
    : undefined;
  const train: DataSplit = opts.trainLimit ? subset(dataset.splits.train, opts.trainLimit, recipe.seed) : dataset.splits.train;
  const backend = await initTrainingBackend();
  const fitted = await fit(opts.model, { train, validation: dataset.splits.validation }, {
    task: task === 'anomaly' ? 'reconstruction' : 'classification',
    normalClasses,
    ...recipe,
    onProgress: opts.onProgress,
  });
  const trained = fitted.model;
  const test = dataset.splits.test;
  const { metric, value: accuracy } = await scoreModel(trained, encodeModel(trained), test, { sampleShape: dataset.inputShape }, anomalyClasses);
  const best = fitted.history[fitted.bestEpoch - 1];
  // The model carries how it was made, so a file found later explains itself.
  setMetadata(trained, {
    'edgefit.dataset': dataset.name,
    [`edgefit.test_${metric}`]: accuracy.toFixed(4),
    'edgefit.split': JSON.stringify(dataset.splitInfo),
    'edgefit.recipe': JSON.stringify(recipe),
    ...(task === 'anomaly' ? { 'edgefit.anomaly_classes': anomalyClasses.join(',') } : {}),
  });
  return {
    model: trained,
    dataset: dataset.name,
    task,
    accuracy,
    metric,
    validationMetric: best?.valMetric ?? NaN,
    epochs: fitted.epochs,
    bestEpoch: fitted.bestEpoch,
    stoppedEarly: fitted.stoppedEarly,
    seconds: fitted.seconds,
    samples: { train: train.count, validation: dataset.splits.validation.count, test: test.count },
    split: dataset.splitInfo,
    history: fitted.history,
    recipe,
    provenance: { ...provenance(), backend },
  };
}
