import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '@edgefit/core';
import { readLabeledPool, type LabeledPool } from './array-dataset.js';
import type { Dataset } from './dataset.js';
import { DEFAULT_SPLIT_SEED, partitionSplit } from './split.js';

/** Where Debian's `dataset-fashion-mnist` package installs the IDX files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_DIR_ENV = 'EDGEFIT_FASHION_MNIST_DIR';
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
/** Samples of the official training set held out for validation. */
export const FASHION_MNIST_VALIDATION = 5000;

const cache = new Map<string, { train: LabeledPool; test: LabeledPool }>();

export function fashionMnistDir(): string {
  return process.env[FASHION_MNIST_DIR_ENV] || FASHION_MNIST_DEFAULT_DIR;
}

/** The file `base` or `base.gz` in dir. */
function findFile(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DatasetError(
    `Fashion-MNIST not found: ${join(dir, base)}[.gz] is missing; install it with 'apt-get install dataset-fashion-mnist' or set ${FASHION_MNIST_DIR_ENV} to a folder holding the four IDX files`,
  );
}

function pools(dir: string): { train: LabeledPool; test: LabeledPool } {
  const hit = cache.get(dir);
  if (hit) return hit;
  const file = (base: string) => findFile(dir, base);
  const pair = (prefix: string) => readLabeledPool('idx', file(`${prefix}-images-idx3-ubyte`), file(`${prefix}-labels-idx1-ubyte`), 10);
  const loaded = { train: pair('train'), test: pair('t10k') };
  if (loaded.train.pool.count <= FASHION_MNIST_VALIDATION) {
    throw new DatasetError(`${dir}: ${loaded.train.pool.count} training samples, too few to hold out ${FASHION_MNIST_VALIDATION} for validation`);
  }
  cache.set(dir, loaded);
  return loaded;
}

/** Fashion-MNIST: official 60k train → seeded 55,000 train / 5,000 validation; official 10k test. */
export function loadFashionMnist(opts: { seed?: number; dir?: string } = {}): Dataset {
  const seed = opts.seed ?? DEFAULT_SPLIT_SEED;
  const dir = opts.dir ?? fashionMnistDir();
  const { train, test } = pools(dir);
  const trainCount = train.pool.count - FASHION_MNIST_VALIDATION;
  const [trainSplit, validationSplit] = partitionSplit(train.pool, [trainCount, FASHION_MNIST_VALIDATION], seed);
  return {
    name: 'fashion-mnist',
    inputShape: train.inputShape,
    numClasses: 10,
    classNames: [...FASHION_MNIST_CLASSES],
    // the test pool is cached: hand out a copy
    splits: { train: trainSplit!, validation: validationSplit!, test: { ...test.pool, x: test.pool.x.slice(), y: test.pool.y.slice() } },
    splitInfo: {
      seed,
      train: trainCount,
      validation: FASHION_MNIST_VALIDATION,
      test: test.pool.count,
      source: `Fashion-MNIST IDX files in ${dir}; seeded stratified train/validation, official test set`,
    },
  };
}
