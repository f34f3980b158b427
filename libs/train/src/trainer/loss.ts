import * as tf from '@tensorflow/tfjs';

/** Mean softmax cross-entropy; with label smoothing ε the target is (1 − ε)·onehot + ε/K. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, smoothing: number): tf.Scalar {
  const k = logits.shape[logits.rank - 1]!;
  let target = tf.oneHot(labels, k).toFloat();
  if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / k);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/** Mean squared error, `target` reshaped to the output's shape (e.g. images → flat vectors). */
export function meanSquaredError(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(output, tf.reshape(target, output.shape)));
}

/**
 * T²·KL(teacher_T ‖ student_T), averaged over the batch: the soft term of
 * knowledge distillation. The T² keeps its gradients on the scale of the
 * hard term's as T changes (Hinton et al. 2015).
 */
export function distillationLoss(studentLogits: tf.Tensor, teacherLogProbs: tf.Tensor, temperature: number): tf.Scalar {
  const student = tf.logSoftmax(tf.div(studentLogits, temperature));
  const kl = tf.sum(tf.mul(tf.exp(teacherLogProbs), tf.sub(teacherLogProbs, student)), -1);
  return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
}
