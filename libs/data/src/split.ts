import { SeededRng } from '@edgefit/core';
import { splitFromIndices, type DataSplit } from './dataset.js';

/** Seed of every dataset split unless the caller gives one. */
export const DEFAULT_SPLIT_SEED = 42;

/**
 * Seeded, stratified partition of sample indices into groups of the given
 * sizes (in order). Samples are shuffled, then interleaved by class so that
 * every consecutive group holds each class in about its overall proportion;
 * each group is shuffled again so its order carries no class pattern.
 */
export function stratifiedPartition(labels: Int32Array, sizes: readonly number[], seed: number): number[][] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total > labels.length) {
    throw new RangeError(`cannot partition ${labels.length} samples into [${sizes.join(', ')}]`);
  }
  const rng = new SeededRng(seed);
  const order = rng.shuffle(Array.from({ length: labels.length }, (_, i) => i));
  const classCount = new Map<number, number>();
  for (const label of labels) classCount.set(label, (classCount.get(label) ?? 0) + 1);
  const seen = new Map<number, number>();
  const key = new Float64Array(labels.length);
  for (const i of order) {
    const label = labels[i]!;
    const rank = seen.get(label) ?? 0;
    seen.set(label, rank + 1);
    key[i] = (rank + 0.5) / classCount.get(label)!;
  }
  order.sort((a, b) => key[a]! - key[b]!); // stable: ties keep the shuffled order
  const groups: number[][] = [];
  let start = 0;
  for (const size of sizes) {
    groups.push(rng.shuffle(order.slice(start, start + size)));
    start += size;
  }
  return groups;
}

/** Split one pool of samples into seeded, stratified parts of the given sizes. */
export function partitionSplit(pool: DataSplit, sizes: readonly number[], seed: number): DataSplit[] {
  return stratifiedPartition(pool.y, sizes, seed).map((indices) => splitFromIndices(pool, indices));
}

/** Sizes for fractions of n; rounding leftovers go to the first part. */
export function fractionSizes(n: number, fractions: readonly number[]): number[] {
  const sizes = fractions.map((f) => Math.floor(n * f));
  sizes[0]! += n - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}
