import { DatasetError } from '@edgefit/core';

/**
 * Exact area under the ROC curve of `scores` (higher = more positive) against
 * `positive` labels: the Mann–Whitney U statistic with mid-ranks, so tied
 * scores count one half. Needs at least one positive and one negative.
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new RangeError(`auroc: ${n} scores but ${positive.length} labels`);
  for (let i = 0; i < n; i++) if (Number.isNaN(scores[i])) throw new DatasetError(`auroc: score ${i} is NaN`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (positive[order[k]!]) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new DatasetError(`AUROC needs both normal and anomalous samples (got ${positives} anomalous, ${negatives} normal)`);
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
