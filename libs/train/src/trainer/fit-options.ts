import { UserInputError } from '@edgefit/core';
import type { FitOptions, LrSchedule, TrainTask } from './fit-types.js';

type Optional = 'patience' | 'maxSteps' | 'trainSubset' | 'validationSubset' | 'normalClasses' | 'mask' | 'onProgress' | 'freeze' | 'distill';
export type ResolvedFitOptions = Required<Omit<FitOptions, Optional>> & Pick<FitOptions, Optional>;

export const FIT_DEFAULTS = {
  task: 'classification' as TrainTask,
  epochs: 10,
  batchSize: 64,
  learningRate: 1e-3,
  schedule: 'warmup-cosine' as LrSchedule,
  warmupEpochs: 1,
  finalLrFraction: 0.05,
  weightDecay: 0,
  labelSmoothing: 0,
  shiftPixels: 0,
  seed: 0,
  evalBatchSize: 256,
};

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1)) throw new UserInputError(`${name} must be a positive integer, got ${v}`);
}

function inRange(name: string, v: number, lo: number, hi: number, hiOpen = false): void {
  if (!(Number.isFinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi))) throw new UserInputError(`${name} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${v}`);
}

/** Defaults filled in and every option checked, so a bad value fails before any work. */
export function resolveFitOptions(opts: FitOptions): ResolvedFitOptions {
  const o = { ...FIT_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as ResolvedFitOptions;
  if (o.task !== 'classification' && o.task !== 'reconstruction') throw new UserInputError(`task must be 'classification' or 'reconstruction', got '${o.task}'`);
  if (o.schedule !== 'warmup-cosine' && o.schedule !== 'constant') throw new UserInputError(`schedule must be 'warmup-cosine' or 'constant', got '${o.schedule}'`);
  for (const k of ['epochs', 'batchSize', 'evalBatchSize', 'patience', 'maxSteps', 'trainSubset', 'validationSubset'] as const) positiveInt(k, o[k]);
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new UserInputError(`learningRate must be a positive number, got ${o.learningRate}`);
  inRange('weightDecay', o.weightDecay, 0, 1);
  inRange('labelSmoothing', o.labelSmoothing, 0, 1, true);
  inRange('finalLrFraction', o.finalLrFraction, 0, 1);
  inRange('warmupEpochs', o.warmupEpochs, 0, o.epochs);
  if (!(Number.isSafeInteger(o.shiftPixels) && o.shiftPixels >= 0)) throw new UserInputError(`shiftPixels must be a non-negative integer, got ${o.shiftPixels}`);
  if (o.distill) {
    if (o.task !== 'classification') throw new UserInputError('distill applies to the classification task only');
    const { temperature, alpha } = o.distill;
    if (temperature !== undefined && !(Number.isFinite(temperature) && temperature > 0)) throw new UserInputError(`distill.temperature must be a positive number, got ${temperature}`);
    if (alpha !== undefined) inRange('distill.alpha', alpha, 0, 1);
  }
  if (!Number.isSafeInteger(o.seed)) throw new UserInputError(`seed must be an integer, got ${o.seed}`);
  return o;
}
