import { attrInt } from './attributes.js';
import { DataType, onnx } from './proto.js';
import { elementCount, tensorByteSize, tensorDims } from './tensor.js';
import { allGraphs, type WeightRef } from './walk.js';

/** Inputs that hold a quantized weight (the integer tensor standing for a float one). */
const QUANTIZED_WEIGHT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  DequantizeLinear: [0],
  QLinearConv: [3, 8], // 8: the int32 bias, quantized like the weight
  QLinearMatMul: [0, 3],
  MatMulInteger: [0, 1],
  ConvInteger: [0, 1],
  MatMulNBits: [1],
};

/** Inputs that hold quantization metadata: scales, zero points, group indices. */
const QUANTIZATION_META_INPUTS: Readonly<Record<string, readonly number[]>> = {
  QuantizeLinear: [1, 2],
  DequantizeLinear: [1, 2],
  QLinearConv: [1, 2, 4, 5, 6, 7],
  QLinearMatMul: [1, 2, 4, 5, 6, 7],
  MatMulInteger: [2, 3],
  ConvInteger: [2, 3],
  MatMulNBits: [2, 3, 4],
};

const FLOAT_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16, 17, 18, 19, 20]);

/**
 * parameter: a learned weight (float tensor of rank ≥ 1, or the integer form
 * of a quantized weight); quantization: its scales / zero points (bytes, but
 * no parameters); other: shapes, axes, scalar hyperparameters.
 */
export type WeightRole = 'parameter' | 'quantization' | 'other';

export interface WeightCost {
  role: WeightRole;
  /** Parameters this tensor stands for (elements of the float weight it encodes). */
  params: number;
  /** Stored bytes at the tensor's precision (0 for role 'other'). */
  bytes: number;
}

type Use = { node: onnx.INodeProto; index: number };

/** Every (node, input index) reading each name, across all graphs. */
export function inputUses(model: onnx.IModelProto): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  for (const { graph } of allGraphs(model)) {
    for (const node of graph.node ?? []) {
      (node.input ?? []).forEach((name, index) => name && uses.set(name, [...(uses.get(name) ?? []), { node, index }]));
    }
  }
  return uses;
}

const usedAs = (uses: Use[], table: Readonly<Record<string, readonly number[]>>) => uses.filter((u) => table[u.node.opType ?? '']?.includes(u.index));

export function weightCost(w: WeightRef, uses: Use[]): WeightCost {
  const dims = tensorDims(w.tensor);
  const bytes = tensorByteSize(w.tensor);
  const quantWeight = usedAs(uses, QUANTIZED_WEIGHT_INPUTS)[0];
  if (quantWeight && dims.length >= 1) {
    // MatMulNBits packs K×N 4-bit values into uint8 blocks: count the weights, not the bytes.
    const n = quantWeight.node.opType === 'MatMulNBits' ? attrInt(quantWeight.node, 'K', 0) * attrInt(quantWeight.node, 'N', 0) : elementCount(dims);
    return { role: 'parameter', params: n, bytes };
  }
  const meta = usedAs(uses, QUANTIZATION_META_INPUTS);
  if (meta.length > 0 && meta.length === uses.length) return { role: 'quantization', params: 0, bytes };
  if (FLOAT_TYPES.has(w.tensor.dataType ?? 0) && dims.length >= 1) return { role: 'parameter', params: elementCount(dims), bytes };
  return { role: 'other', params: 0, bytes: 0 };
}
