import { DatasetError, UserInputError } from '@edgefit/core';
import { loadArrayDataset, type ArrayFormat } from './array-dataset.js';
import type { Dataset } from './dataset.js';
import { loadFashionMnist } from './fashion-mnist-dataset.js';
import { loadMnist } from './mnist-dataset.js';

export interface LoadDatasetOptions {
  /** Seed of the train/validation/test split (default 42). */
  seed?: number;
}

const NAMED: Record<string, (opts: LoadDatasetOptions) => Dataset> = {
  mnist: loadMnist,
  'fashion-mnist': loadFashionMnist,
};

/** What `loadDataset` accepts, for help texts and error messages. */
export const DATASET_SPECS = [
  ...Object.keys(NAMED),
  'idx:<images>,<labels>[,<test-images>,<test-labels>]',
  'npy:<x.npy>,<y.npy>[,<test-x.npy>,<test-y.npy>]',
];

/**
 * Load a dataset by spec: `mnist`, `fashion-mnist`, or user files as
 * `idx:<images>,<labels>` / `npy:<x.npy>,<y.npy>`, optionally followed by a
 * separate test pair. Paths cannot contain commas.
 */
export function loadDataset(spec: string, opts: LoadDatasetOptions = {}): Dataset {
  if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) {
    throw new UserInputError(`dataset split seed must be an integer, got ${opts.seed}`);
  }
  const trimmed = spec.trim();
  const named = NAMED[trimmed.toLowerCase()];
  if (named) return named(opts);
  const m = /^(idx|npy):(.*)$/i.exec(trimmed);
  if (m) {
    const format = m[1]!.toLowerCase() as ArrayFormat;
    const paths = m[2]!.split(',').map((p) => p.trim());
    if ((paths.length !== 2 && paths.length !== 4) || paths.some((p) => p.length === 0)) {
      throw new DatasetError(`dataset '${spec}': expected ${format}:<images>,<labels> or ${format}:<images>,<labels>,<test-images>,<test-labels>`);
    }
    const [images, labels, testImages, testLabels] = paths as [string, string, string?, string?];
    return loadArrayDataset({ format, images, labels, ...(testImages ? { testImages, testLabels } : {}) }, opts);
  }
  throw new DatasetError(`unknown dataset '${spec}'; known: ${DATASET_SPECS.join(', ')}`);
}
