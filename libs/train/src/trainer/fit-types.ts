import type { DataSplit } from '@edgefit/data';
import type { onnx } from '@edgefit/onnx';

export type TrainTask = 'classification' | 'reconstruction';
export type LrSchedule = 'warmup-cosine' | 'constant';

export interface FitData {
  train: DataSplit;
  validation: DataSplit;
}

export interface FitProgress {
  /** 1-based epoch. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  steps: number;
  /** Loss of the latest step. */
  loss: number;
  /** Set on the call made after the epoch's validation. */
  valMetric?: number;
  etaSeconds: number;
}

/**
 * Knowledge distillation (Hinton et al. 2015): the loss mixes the hard-label
 * cross-entropy with the KL divergence from the teacher's softened outputs.
 */
export interface DistillOptions {
  /** The teacher (e.g. the model before compression); it runs in inference mode, its weights never change. */
  teacher: onnx.IModelProto;
  /** Softmax temperature T of both teacher and student in the soft term. Default 4. */
  temperature?: number;
  /** Weight α of the soft term: loss = α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE(labels). Default 0.5. */
  alpha?: number;
}

export interface FitOptions {
  /** 'classification': softmax cross-entropy on the first output (its logits if it ends in Softmax). 'reconstruction': MSE between the first output and the flattened input. Default classification. */
  task?: TrainTask;
  /** Default 10. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Peak learning rate of Adam. Default 1e-3. */
  learningRate?: number;
  /** 'warmup-cosine' (default): linear warm-up over `warmupEpochs`, then cosine decay to `finalLrFraction` of the peak. */
  schedule?: LrSchedule;
  /** Default 1. */
  warmupEpochs?: number;
  /** Default 0.05. */
  finalLrFraction?: number;
  /** Decoupled weight decay (AdamW) on weight matrices and kernels (rank ≥ 2). Default 0. */
  weightDecay?: number;
  /** Classification only. Default 0. */
  labelSmoothing?: number;
  /** Random shift of each training image by up to ± this many pixels (seeded). Default 0. */
  shiftPixels?: number;
  /** Stop after this many epochs without a better validation metric. Default: never. */
  patience?: number;
  /** Stop after this many optimizer steps in total (for quick runs and tests). */
  maxSteps?: number;
  /** Train on a seeded random subset of this many samples. */
  trainSubset?: number;
  /** Validate on a seeded random subset of this many samples. */
  validationSubset?: number;
  /** Reconstruction only: train and validate on samples of these classes (anomaly detection trains on the normal ones). */
  normalClasses?: readonly number[];
  /** Data order, augmentation and dropout masks derive from it. Default 0. */
  seed?: number;
  /** Initializer name → 0/1 per element: weights at 0 stay exactly 0 (pruning fine-tuning). */
  mask?: ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>>;
  /** Initializers not to train. */
  freeze?: readonly string[];
  /** Classification only: learn from a teacher's soft targets as well as the labels. */
  distill?: DistillOptions;
  /** Batch size of validation passes. Default 256. */
  evalBatchSize?: number;
  onProgress?: (p: FitProgress) => void;
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  trainLoss: number;
  /** Accuracy (classification) or −MSE (reconstruction) on the validation data; higher is better. */
  valMetric: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  seconds: number;
}

export interface FitResult {
  /** The model with the weights of the best validation epoch written back. */
  model: onnx.ModelProto;
  history: EpochRecord[];
  bestEpoch: number;
  bestValMetric: number;
  /** Epochs run. */
  epochs: number;
  steps: number;
  seconds: number;
  stoppedEarly: boolean;
}
