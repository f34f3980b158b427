import * as tf from '@tensorflow/tfjs';
import { attrFloat } from '@edgefit/onnx';
import { toOnnx } from '../executor/layout.js';
import { sameLayout, type Value } from '../executor/value.js';
import type { OpDefinition } from './op-types.js';
import { batchNormRows, channelMoments } from './batch-norm-training.js';
import { unsupported } from './static-inputs.js';

/** Reduction axes and the shape per-channel parameters take to broadcast, for either layout. */
function channelGeometry(x: Value): { axes: number[]; paramShape: number[]; channelsLast: boolean } {
  const rank = x.tensor.rank;
  if (x.nhwc || rank === 2) return { axes: x.nhwc ? [0, 1, 2] : [0], paramShape: [x.tensor.shape[rank - 1]!], channelsLast: true };
  const c = x.tensor.shape[1]!;
  return { axes: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)], paramShape: [c, ...Array(rank - 2).fill(1)], channelsLast: false };
}

/** Batch-normalized x in training mode, and the batch statistics ([C]) for the running averages. */
function normalizeBatch(x: Value, g: ReturnType<typeof channelGeometry>, scale: tf.Tensor, bias: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  if (g.channelsLast) {
    const rows = tf.reshape(x.tensor, [-1, g.paramShape[0]!]) as tf.Tensor2D;
    const y = tf.reshape(batchNormRows(rows, tf.reshape(scale, [-1]), tf.reshape(bias, [-1]), epsilon), x.tensor.shape);
    // Recomputed outside the custom gradient: only the running averages read them, so the tape drops them.
    return { y, ...channelMoments(rows) };
  }
  const { mean, variance } = tf.moments(x.tensor, g.axes);
  const xhat = tf.mul(tf.sub(x.tensor, tf.reshape(mean, g.paramShape)), tf.rsqrt(tf.add(tf.reshape(variance, g.paramShape), epsilon)));
  return { y: tf.add(tf.mul(xhat, tf.reshape(scale, g.paramShape)), tf.reshape(bias, g.paramShape)), mean, variance };
}

/**
 * BatchNormalization. Inference: running statistics, folded into one
 * multiply-add. Training: batch statistics (biased variance, as ONNX's
 * training mode), and the running statistics move with the node's momentum:
 * running = running · momentum + batch · (1 − momentum).
 */
export const batchNormalizationOp: OpDefinition = {
  opType: 'BatchNormalization',
  compile(node, ctx) {
    if ((node.output ?? []).filter(Boolean).length > 1) throw unsupported(node, ctx, 'the running mean/var outputs (training_mode outputs) are not supported');
    const epsilon = attrFloat(node, 'epsilon', 1e-5);
    const momentum = attrFloat(node, 'momentum', 0.9);
    const [, , , meanName, varName] = node.input ?? [];
    return ([x, scale, bias, mean, variance], run) => {
      const g = channelGeometry(x!);
      const p = (v: Value) => tf.reshape(toOnnx(v), g.paramShape);
      if (!run.training) {
        const a = tf.mul(p(scale!), tf.rsqrt(tf.add(p(variance!), epsilon)));
        const b = tf.sub(p(bias!), tf.mul(p(mean!), a));
        return [sameLayout(x!, tf.add(tf.mul(x!.tensor, a), b))];
      }
      const out = normalizeBatch(x!, g, toOnnx(scale!), toOnnx(bias!), epsilon);
      const track = (name: string | undefined, running: Value | undefined, batch: tf.Tensor) => {
        if (name && running) run.updateState(name, tf.add(tf.mul(toOnnx(running), momentum), tf.mul(tf.reshape(batch, running.tensor.shape), 1 - momentum)));
      };
      track(meanName, mean, out.mean);
      track(varName, variance, out.variance);
      return [sameLayout(x!, out.y)];
    };
  },
};
