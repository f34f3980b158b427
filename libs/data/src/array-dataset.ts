import { basename } from 'node:path';
import { DatasetError } from '@edgefit/core';
import { labeledPool, toImages, toLabels } from './array-conversion.js';
import type { DataSplit, Dataset } from './dataset.js';
import { readIdx } from './idx-reader.js';
import { readNpy } from './npy-reader.js';
import { DEFAULT_SPLIT_SEED, fractionSizes, partitionSplit } from './split.js';

export type ArrayFormat = 'idx' | 'npy';

/** A user dataset: an images file and a labels file, optionally a separate test pair. */
export interface ArrayDatasetSpec {
  format: ArrayFormat;
  images: string;
  labels: string;
  testImages?: string;
  testLabels?: string;
  name?: string;
  /** Number of classes; default: largest label + 1. */
  numClasses?: number;
  classNames?: string[];
}

export interface LabeledPool {
  pool: DataSplit;
  inputShape: number[];
}

/** Read and check one images/labels pair of IDX or NPY files (plain or gzip). */
export function readLabeledPool(format: ArrayFormat, images: string, labels: string, numClasses?: number): LabeledPool {
  const read = format === 'idx' ? readIdx : readNpy;
  const imgs = toImages(read(images), images);
  const pool = labeledPool(imgs, toLabels(read(labels), labels, numClasses), images, labels);
  return { pool, inputShape: imgs.inputShape };
}

function maxLabel(y: Int32Array): number {
  let max = -1;
  for (const v of y) if (v > max) max = v;
  return max;
}

/**
 * A dataset from user files: seeded, stratified 80/10/10 train/validation/test,
 * or, with a separate test pair, 90/10 train/validation of the first pair.
 */
export function loadArrayDataset(spec: ArrayDatasetSpec, opts: { seed?: number } = {}): Dataset {
  const seed = opts.seed ?? DEFAULT_SPLIT_SEED;
  if ((spec.testImages === undefined) !== (spec.testLabels === undefined)) {
    throw new DatasetError('a separate test set needs both a test images file and a test labels file');
  }
  const main = readLabeledPool(spec.format, spec.images, spec.labels, spec.numClasses);
  const test = spec.testImages ? readLabeledPool(spec.format, spec.testImages, spec.testLabels!, spec.numClasses) : undefined;
  if (test && test.inputShape.join('x') !== main.inputShape.join('x')) {
    throw new DatasetError(`${spec.testImages} has samples of shape [${test.inputShape}] but ${spec.images} has [${main.inputShape}]`);
  }
  const sizes = fractionSizes(main.pool.count, test ? [0.9, 0.1] : [0.8, 0.1, 0.1]);
  if (sizes.some((s) => s === 0)) {
    throw new DatasetError(`${spec.images}: ${main.pool.count} samples are too few to split into train/validation${test ? '' : '/test'}`);
  }
  const [train, validation, testSplit] = partitionSplit(main.pool, sizes, seed);
  const splits = { train: train!, validation: validation!, test: test ? test.pool : testSplit! };
  const numClasses = spec.numClasses ?? Math.max(maxLabel(main.pool.y), test ? maxLabel(test.pool.y) : -1) + 1;
  const files = [spec.images, spec.labels, spec.testImages, spec.testLabels].filter((f): f is string => f !== undefined);
  return {
    name: spec.name ?? `${spec.format}:${basename(spec.images)}`,
    inputShape: main.inputShape,
    numClasses,
    ...(spec.classNames ? { classNames: spec.classNames } : {}),
    splits,
    splitInfo: {
      seed,
      train: splits.train.count,
      validation: splits.validation.count,
      test: splits.test.count,
      source: `${spec.format} files ${files.join(', ')}; seeded stratified ${test ? '90/10 train/validation, test from its own files' : '80/10/10 split'}`,
    },
  };
}
