import { SeededRng, sha256 } from '@edgefit/core';

/** One split of a dataset: `count` samples of `sampleSize` float values each. */
export interface DataSplit {
  /** count × sampleSize values, NCHW per sample, in [0, 1]. */
  x: Float32Array;
  /** count class labels in [0, numClasses). */
  y: Int32Array;
  count: number;
  sampleSize: number;
}

export type SplitName = 'train' | 'validation' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export interface SplitInfo {
  seed: number;
  train: number;
  validation: number;
  test: number;
  /** Where the samples came from (package, files) and how they were split. */
  source: string;
}

export interface Dataset {
  name: string;
  /** Shape of one sample, e.g. [1, 28, 28]. */
  inputShape: number[];
  numClasses: number;
  classNames?: string[];
  splits: Record<SplitName, DataSplit>;
  splitInfo: SplitInfo;
}

export interface Batch {
  x: Float32Array;
  y: Int32Array;
}

/** Gather the samples at `indices` (in that order) into one contiguous batch. */
export function takeBatch(split: DataSplit, indices: ArrayLike<number>): Batch {
  const { sampleSize } = split;
  const x = new Float32Array(indices.length * sampleSize);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= split.count) {
      throw new RangeError(`takeBatch: index ${j} outside [0, ${split.count})`);
    }
    x.set(split.x.subarray(j * sampleSize, (j + 1) * sampleSize), i * sampleSize);
    y[i] = split.y[j]!;
  }
  return { x, y };
}

/** A split made of the samples at `indices` of `source`. */
export function splitFromIndices(source: DataSplit, indices: ArrayLike<number>): DataSplit {
  const { x, y } = takeBatch(source, indices);
  return { x, y, count: indices.length, sampleSize: source.sampleSize };
}

/** `n` samples drawn without replacement with a seeded RNG (all of them, shuffled, when n ≥ count). */
export function subset(split: DataSplit, n: number, seed: number): DataSplit {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`subset: n must be a non-negative integer, got ${n}`);
  const order = new SeededRng(seed).shuffle(Array.from({ length: split.count }, (_, i) => i));
  return splitFromIndices(split, order.slice(0, Math.min(n, split.count)));
}

/** sha256 over a split's values and labels: equal splits, equal hashes. */
export function splitHash(split: DataSplit): string {
  const bytes = new Uint8Array(split.x.byteLength + split.y.byteLength);
  bytes.set(new Uint8Array(split.x.buffer, split.x.byteOffset, split.x.byteLength), 0);
  bytes.set(new Uint8Array(split.y.buffer, split.y.byteOffset, split.y.byteLength), split.x.byteLength);
  return sha256(bytes);
}

/** Count of each label 0..numClasses-1. */
export function labelHistogram(y: Int32Array, numClasses: number): number[] {
  const hist = new Array<number>(numClasses).fill(0);
  for (const label of y) hist[label] = (hist[label] ?? 0) + 1;
  return hist;
}
