import { SeededRng, UserInputError } from '@edgefit/core';
import { randomShift, takeBatch, type DataSplit } from '@edgefit/data';
import type { StepBatch } from './train-step.js';

/**
 * Shuffled mini-batches of one epoch, augmented with random shifts. A last
 * batch of one sample is dropped (batch statistics of one sample are
 * degenerate). Order and shifts come from the two seeded streams.
 */
export class EpochBatches {
  constructor(
    private readonly split: DataSplit,
    private readonly batchSize: number,
    private readonly sampleDims: readonly number[],
    private readonly shiftPixels: number,
    private readonly orderRng: SeededRng,
    private readonly augmentRng: SeededRng,
  ) {
    if (shiftPixels > 0 && sampleDims.length !== 3) throw new UserInputError(`shift augmentation needs image inputs [C, H, W]; the model's input is [${sampleDims.join(', ')}]`);
  }

  get steps(): number {
    const full = Math.floor(this.split.count / this.batchSize);
    return this.split.count % this.batchSize > 1 ? full + 1 : Math.max(full, 1);
  }

  *epoch(): Generator<StepBatch> {
    const order = this.orderRng.shuffle(Array.from({ length: this.split.count }, (_, i) => i));
    for (let step = 0; step < this.steps; step++) {
      const { x, y } = takeBatch(this.split, order.slice(step * this.batchSize, (step + 1) * this.batchSize));
      if (this.shiftPixels === 0) {
        yield { x, y };
        continue;
      }
      const [c, h, w] = this.sampleDims as [number, number, number];
      yield { x: randomShift(x, [y.length, c, h, w], this.shiftPixels, this.augmentRng), y };
    }
  }
}
