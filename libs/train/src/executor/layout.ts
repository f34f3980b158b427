import * as tf from '@tensorflow/tfjs';
import type { Value } from './value.js';

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];

/** Where ONNX (NCHW) axis `a` of a 4-D tensor sits in its NHWC form. */
export function nhwcAxis(onnxAxis: number): number {
  return NCHW_TO_NHWC.indexOf(((onnxAxis % 4) + 4) % 4);
}

/** NHWC axis for each ONNX axis, for composing permutations with the layout change. */
export const ONNX_AXIS_IN_NHWC: readonly number[] = NHWC_TO_NCHW;

/**
 * A transpose that keeps the order of the axes larger than 1 moves no data
 * (C = 1 inputs, H = W = 1 after global pooling): a reshape does it.
 */
export function permute(t: tf.Tensor, perm: readonly number[]): tf.Tensor {
  const moved = perm.map((p) => t.shape[p]!);
  const big = perm.filter((p) => t.shape[p] !== 1);
  const keepsOrder = big.every((p, i) => i === 0 || big[i - 1]! < p);
  return keepsOrder ? tf.reshape(t, moved) : tf.transpose(t, [...perm]);
}

/** The value in ONNX element order. */
export function toOnnx(v: Value): tf.Tensor {
  return v.nhwc ? permute(v.tensor, NHWC_TO_NCHW) : v.tensor;
}

/** The value as NHWC; it must be 4-D. */
export function toNhwc(v: Value, where: string): tf.Tensor4D {
  if (v.nhwc) return v.tensor as tf.Tensor4D;
  if (v.tensor.rank !== 4) throw new Error(`${where}: expects a 4-D NCHW input, got shape [${v.tensor.shape.join(', ')}]`);
  return permute(v.tensor, NCHW_TO_NHWC) as tf.Tensor4D;
}

/**
 * An ONNX-layout operand of rank ≤ 4 rearranged so it broadcasts against an
 * NHWC tensor exactly as it would against the NCHW one (numpy rules align
 * trailing axes, so pad to rank 4 first, then move C last).
 */
export function broadcastAgainstNhwc(t: tf.Tensor): tf.Tensor {
  if (t.rank > 4) throw new Error(`cannot broadcast a rank-${t.rank} tensor against a 4-D activation`);
  const padded = t.rank === 4 ? t : tf.reshape(t, [...Array(4 - t.rank).fill(1), ...t.shape]);
  return permute(padded, NCHW_TO_NHWC);
}
