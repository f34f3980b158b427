import { DatasetError, SeededRng, UserInputError } from '@edgefit/core';
import { splitFromIndices, subset, type DataSplit } from '@edgefit/data';
import type { FitData, FitOptions } from './fit-types.js';

function onlyClasses(split: DataSplit, classes: ReadonlySet<number>): DataSplit {
  const keep: number[] = [];
  for (let i = 0; i < split.count; i++) if (classes.has(split.y[i]!)) keep.push(i);
  return splitFromIndices(split, keep);
}

function check(split: DataSplit, name: string, sampleSize: number): DataSplit {
  if (split.count === 0) throw new DatasetError(`the ${name} data is empty`);
  if (split.sampleSize !== sampleSize) throw new DatasetError(`${name} samples have ${split.sampleSize} values; the model's input takes ${sampleSize}`);
  return split;
}

/** The train/validation data a fit uses: normal classes only (reconstruction) and seeded subsets. */
export function prepareData(data: FitData, opts: FitOptions, sampleSize: number): FitData {
  let { train, validation } = data;
  if (opts.normalClasses) {
    if (opts.task !== 'reconstruction') throw new UserInputError('normalClasses applies to the reconstruction task only');
    const classes = new Set(opts.normalClasses);
    train = onlyClasses(train, classes);
    validation = onlyClasses(validation, classes);
  }
  const rng = new SeededRng(opts.seed ?? 0);
  if (opts.trainSubset !== undefined) train = subset(train, opts.trainSubset, rng.fork('train-subset').int(0, 0x7fffffff));
  if (opts.validationSubset !== undefined) validation = subset(validation, opts.validationSubset, rng.fork('validation-subset').int(0, 0x7fffffff));
  return { train: check(train, 'training', sampleSize), validation: check(validation, 'validation', sampleSize) };
}
