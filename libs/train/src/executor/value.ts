import type * as tf from '@tensorflow/tfjs';

/**
 * A tensor flowing through the executor. ONNX is NCHW, but tfjs' conv and
 * pool kernels on WASM want NHWC, so 4-D activations are kept NHWC between
 * layout-aware ops (`nhwc: true`) and turned back to ONNX order only where
 * element order matters (Flatten, Reshape, Transpose, graph outputs, …).
 */
export interface Value {
  readonly tensor: tf.Tensor;
  /** True when `tensor` is a 4-D NHWC view of an ONNX NCHW tensor. */
  readonly nhwc: boolean;
}

export function onnxValue(tensor: tf.Tensor): Value {
  return { tensor, nhwc: false };
}

export function nhwcValue(tensor: tf.Tensor): Value {
  return { tensor, nhwc: true };
}

/** Same layout as `like`, new tensor: for element-wise ops. */
export function sameLayout(like: Value, tensor: tf.Tensor): Value {
  return { tensor, nhwc: like.nhwc };
}
