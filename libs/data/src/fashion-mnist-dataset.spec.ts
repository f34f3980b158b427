import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '@edgefit/core';
import { labelHistogram } from './dataset.js';
import { FASHION_MNIST_DIR_ENV, fashionMnistDir, loadFashionMnist } from './fashion-mnist-dataset.js';
import { loadDataset } from './dataset-registry.js';

const dir = fashionMnistDir();
const present = existsSync(`${dir}/train-images-idx3-ubyte.gz`) || existsSync(`${dir}/train-images-idx3-ubyte`);
if (!present) console.warn(`fashion-mnist files not in ${dir}: skipping (apt-get install dataset-fashion-mnist)`);

describe('fashion-mnist', () => {
  it.skipIf(!present)('loads 55k/5k/10k with shape [1,28,28] and balanced labels', () => {
    const ds = loadDataset('fashion-mnist');
    expect(ds.inputShape).toEqual([1, 28, 28]);
    expect(ds.classNames).toHaveLength(10);
    expect([ds.splits.train.count, ds.splits.validation.count, ds.splits.test.count]).toEqual([55000, 5000, 10000]);
    expect(labelHistogram(ds.splits.test.y, 10)).toEqual(new Array(10).fill(1000)); // official test set is balanced
    expect(labelHistogram(ds.splits.validation.y, 10)).toEqual(new Array(10).fill(500)); // stratified hold-out
    let max = 0;
    for (const v of ds.splits.test.x) if (v > max) max = v;
    expect(max).toBe(1);
  });

  it('tells how to install it when the files are missing', () => {
    const err = (() => {
      try {
        loadFashionMnist({ dir: '/nonexistent/fashion' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(/apt-get install dataset-fashion-mnist/);
    expect((err as Error).message).toContain(FASHION_MNIST_DIR_ENV);
  });
});
