import { MAX_MODEL_BYTES } from './model-io.js';

/**
 * What a model must stay within before onnxruntime (or anything else) sees
 * it. The caps exist because ONNX lets a small file ask for enormous
 * allocations (a ConstantOfShape of 2^40 elements, a bogus dim of 2^60); a
 * model that passes cannot make a single tensor larger than
 * `maxTensorElements` at batch 1.
 */
export interface ModelLimits {
  /** Largest element count of any tensor: declared, stored, or inferred (2^28 float32 = 1 GiB). */
  maxTensorElements: number;
  /** Largest rank of any tensor. */
  maxRank: number;
  /** Largest single dimension. */
  maxDim: number;
  /** Sum of all weight payloads in bytes: no more than a model file may hold. */
  maxWeightBytes: number;
  /** Nodes in all graphs together. */
  maxNodes: number;
  /** Accepted ModelProto.ir_version range (3 = ONNX 1.0 … 10 = ONNX 1.16). */
  minIrVersion: number;
  maxIrVersion: number;
  /** Accepted opset range of the default ONNX domain; opset 21 needs ir_version 10. */
  minOpset: number;
  maxOpset: number;
}

export const DEFAULT_LIMITS: Readonly<ModelLimits> = Object.freeze({
  maxTensorElements: 2 ** 28,
  maxRank: 8,
  maxDim: 2 ** 31,
  maxWeightBytes: MAX_MODEL_BYTES,
  maxNodes: 100_000,
  minIrVersion: 3,
  maxIrVersion: 10,
  minOpset: 7,
  maxOpset: 21,
});
