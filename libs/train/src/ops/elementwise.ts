import * as tf from '@tensorflow/tfjs';
import type { onnx } from '@edgefit/onnx';
import { broadcastAgainstNhwc, toOnnx } from '../executor/layout.js';
import { sameLayout, type Value } from '../executor/value.js';
import type { CompileContext, OpDefinition } from './op-types.js';

/**
 * An element-wise op of one input: layout does not matter, so an NHWC
 * activation stays NHWC. `make` reads attributes once at compile time.
 */
export function unaryOp(opType: string, make: (node: onnx.INodeProto, ctx: CompileContext) => (x: tf.Tensor) => tf.Tensor): OpDefinition {
  return {
    opType,
    compile(node, ctx) {
      const fn = make(node, ctx);
      return ([x]) => [sameLayout(x!, fn(x!.tensor))];
    },
  };
}

/**
 * Both operands in one layout with ONNX broadcasting preserved: if either is
 * an NHWC activation the other is rearranged to broadcast against it.
 */
export function alignOperands(a: Value, b: Value): { a: tf.Tensor; b: tf.Tensor; nhwc: boolean } {
  if (a.nhwc === b.nhwc) return { a: a.tensor, b: b.tensor, nhwc: a.nhwc };
  const [act, other] = a.nhwc ? [a, b] : [b, a];
  if (other.tensor.rank > 4) return { a: toOnnx(a), b: toOnnx(b), nhwc: false };
  const aligned = broadcastAgainstNhwc(other.tensor);
  return a.nhwc ? { a: act.tensor, b: aligned, nhwc: true } : { a: aligned, b: act.tensor, nhwc: true };
}

/** An element-wise op of two inputs with numpy broadcasting. */
export function binaryOp(opType: string, fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): OpDefinition {
  return {
    opType,
    compile() {
      return ([x, y]) => {
        const { a, b, nhwc } = alignOperands(x!, y!);
        return [{ tensor: fn(a, b), nhwc }];
      };
    },
  };
}
