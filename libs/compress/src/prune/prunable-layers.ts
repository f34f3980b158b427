import { UserInputError } from '@edgefit/core';
import { DataType, attrInt, tensorDims, type onnx } from '@edgefit/onnx';
import { initializerOf } from './tensor-edit.js';

/** Ops whose weight (input 1) pruning zeroes; their weights hold almost all parameters. */
const WEIGHT_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** A layer with a float weight initializer that unstructured and N:M pruning can zero. */
export interface WeightLayer {
  node: onnx.INodeProto;
  /** Node name: what per-layer overrides and skipLayers refer to. */
  name: string;
  op: string;
  weight: onnx.ITensorProto;
  dims: number[];
}

export function layerName(node: onnx.INodeProto): string {
  return node.name || node.output?.[0] || '';
}

/** Layers in graph order whose input 1 is a FLOAT initializer of rank ≥ 2 (each weight once). */
export function weightLayers(model: onnx.IModelProto): WeightLayer[] {
  const graph = model.graph!;
  const seen = new Set<string>();
  const layers: WeightLayer[] = [];
  for (const node of graph.node ?? []) {
    if (!WEIGHT_OPS.has(node.opType ?? '')) continue;
    const weight = initializerOf(graph, node.input?.[1] ?? '');
    if (!weight || weight.dataType !== DataType.FLOAT || seen.has(weight.name ?? '')) continue;
    const dims = tensorDims(weight);
    if (dims.length < 2) continue;
    seen.add(weight.name ?? '');
    layers.push({ node, name: layerName(node), op: node.opType ?? '', weight, dims });
  }
  return layers;
}

/**
 * How a weight's elements group into the dot products of its output units:
 * unit u reduces over elements index(u, 0..length-1). N:M sparsity groups
 * consecutive elements of one reduction (what sparse tensor cores require).
 */
export interface ReductionLayout {
  units: number;
  length: number;
  index(unit: number, r: number): number;
}

export function reductionLayout(layer: WeightLayer): ReductionLayout {
  const [d0, ...rest] = layer.dims;
  const inner = rest.reduce((a, b) => a * b, 1);
  // Gemm without transB and MatMul store W as [K, N]: a unit is a column.
  const columnMajor = (layer.op === 'Gemm' && attrInt(layer.node, 'transB', 0) === 0) || layer.op === 'MatMul';
  if (columnMajor && layer.dims.length === 2) {
    const n = layer.dims[1]!;
    return { units: n, length: d0!, index: (u, r) => r * n + u };
  }
  return { units: d0!, length: inner, index: (u, r) => u * inner + r };
}

/** Parse skipLayers ('a|b', 'a;b' or 'a b': commas separate pass parameters) and check the names exist. */
export function parseSkipLayers(pass: string, raw: string, model: onnx.IModelProto): Set<string> {
  const names = raw.split(/[|;\s]+/).map((s) => s.trim()).filter(Boolean);
  const known = new Set((model.graph?.node ?? []).map(layerName));
  for (const n of names) {
    if (!known.has(n)) throw new UserInputError(`pass '${pass}': parameter 'skipLayers' names layer '${n}', which the model does not have`);
  }
  return new Set(names);
}
