import * as tf from '@tensorflow/tfjs';
import { UserInputError } from '@edgefit/core';
import type { OnnxExecutor } from '../executor/executor.js';

/**
 * Keeps masked weights at exactly 0: applied before training and after
 * every optimizer step (Adam's moments would otherwise revive them).
 * tf.where writes +0, never the −0 that multiplying by the mask could.
 */
export class WeightMasks {
  private readonly masks: [tf.Variable, tf.Tensor][] = [];

  constructor(exec: OnnxExecutor, mask: ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>> | undefined) {
    const entries = mask instanceof Map ? [...mask.entries()] : Object.entries(mask ?? {});
    for (const [name, values] of entries) {
      const v = exec.variables.get(name);
      if (!v) throw new UserInputError(`mask for '${name}': not a trainable initializer of the model`);
      if (values.length !== v.size) throw new UserInputError(`mask for '${name}' has ${values.length} values; the initializer has ${v.size}`);
      if (values.some((m: number) => m !== 0 && m !== 1)) throw new UserInputError(`mask for '${name}' must hold only 0 and 1`);
      this.masks.push([v, tf.tidy(() => tf.notEqual(tf.tensor(values, v.shape), 0))]);
    }
    this.apply();
  }

  apply(): void {
    tf.tidy(() => {
      for (const [v, keep] of this.masks) v.assign(tf.where(keep, v, tf.zerosLike(v)));
    });
  }

  dispose(): void {
    tf.dispose(this.masks.map(([, m]) => m));
  }
}
