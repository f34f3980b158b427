import * as tf from '@tensorflow/tfjs';
import { attrFloat } from '@edgefit/onnx';
import { sameLayout } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { staticNumbers, unsupported } from './static-inputs.js';

/**
 * Dropout: identity at inference; in training inverted dropout (kept values
 * scaled by 1/(1 − ratio)) with a mask drawn from the executor's seeded
 * stream. The ratio comes from input 1 (opset ≥ 12) or the `ratio`
 * attribute, default 0.5. Training is the executor's mode; the optional
 * training_mode input is not consulted.
 */
export const dropoutOp: OpDefinition = {
  opType: 'Dropout',
  compile(node, ctx) {
    const ratio = staticNumbers(node, 1, ctx, 'ratio')?.[0] ?? attrFloat(node, 'ratio', 0.5);
    if (!(ratio >= 0 && ratio < 1)) throw unsupported(node, ctx, `ratio ${ratio} outside [0, 1)`);
    const wantsMask = Boolean(node.output?.[1]);
    return ([x], run) => {
      const t = x!.tensor;
      if (!run.training || ratio === 0) return wantsMask ? [x!, sameLayout(x!, tf.onesLike(t).cast('bool'))] : [x!];
      const u = run.uniform(t.size);
      const keep = new Float32Array(t.size);
      const scale = 1 / (1 - ratio);
      for (let i = 0; i < u.length; i++) keep[i] = u[i]! >= ratio ? scale : 0;
      const mask = tf.tensor(keep, t.shape);
      const y = sameLayout(x!, tf.mul(t, mask));
      return wantsMask ? [y, sameLayout(x!, tf.cast(mask, 'bool'))] : [y];
    };
  },
};
