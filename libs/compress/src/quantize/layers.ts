import { DataType, GraphView, attrFloat, attrInt, tensorDims, tensorToFloat32, type onnx } from '@edgefit/onnx';

export type LayerOp = 'Conv' | 'Gemm' | 'MatMul';
export const LAYER_OPS: readonly string[] = ['Conv', 'Gemm', 'MatMul'];

/**
 * A layer the quantize passes can rewrite: a Conv, Gemm or MatMul whose
 * weight is a float initializer. Gemm's alpha and beta are folded into the
 * weight and bias here, so every form emits plain y = x·W + b.
 */
export interface LayerInfo {
  node: onnx.INodeProto;
  /** The node's name (its first output when unnamed): what per-layer params and reports use. */
  name: string;
  op: LayerOp;
  input: string;
  output: string;
  weightName: string;
  /** Weight values with Gemm's alpha folded in, in the initializer's layout. */
  weight: Float32Array;
  weightDims: number[];
  /** Axis of the weight's output channels: Conv 0, Gemm 0 if transB else 1, MatMul 1. */
  axis: number;
  /** Gemm with transB=1 stores W as [N, K]. */
  transB: boolean;
  /** Gemm's alpha (already folded into `weight`; 1 for other ops). */
  alpha: number;
  /** One bias value per output channel (beta folded in), if the layer has one. */
  bias?: Float32Array;
  biasName?: string;
}

export function layerName(node: onnx.INodeProto): string {
  return node.name || node.output?.[0] || '';
}

/** Why a node cannot be quantized (undefined when it can). */
function rejectReason(node: onnx.INodeProto, view: GraphView): string | undefined {
  const w = view.initializer(node.input?.[1] ?? '');
  if (!w || w.dataType !== DataType.FLOAT) return 'its weight is not a float initializer';
  const rank = tensorDims(w).length;
  if (node.opType === 'Conv' && rank < 3) return `its weight has rank ${rank}`;
  if (node.opType !== 'Conv' && rank !== 2) return `its weight has rank ${rank}, not 2`;
  if (node.opType === 'Gemm' && attrInt(node, 'transA', 0) !== 0) return 'transA=1 is not supported';
  if (view.isConstant(node.input?.[0] ?? '')) return 'its input is a constant';
  const c = node.input?.[2];
  if (c && (node.opType === 'Conv' || node.opType === 'Gemm')) {
    const t = view.initializer(c);
    if (!t || t.dataType !== DataType.FLOAT) return 'its bias is not a float initializer';
    const n = tensorToFloat32(t).length;
    const channels = outputChannels(node, tensorDims(w));
    if (n !== 1 && n !== channels) return `its bias holds ${n} values, not one per output channel`;
  }
  return undefined;
}

function outputChannels(node: onnx.INodeProto, dims: number[]): number {
  if (node.opType === 'Conv') return dims[0]!;
  if (node.opType === 'Gemm' && attrInt(node, 'transB', 0)) return dims[0]!;
  return dims[1]!;
}

function describe(node: onnx.INodeProto, view: GraphView): LayerInfo {
  const op = node.opType as LayerOp;
  const w = view.initializer(node.input![1]!)!;
  const weightDims = tensorDims(w);
  const transB = op === 'Gemm' && attrInt(node, 'transB', 0) === 1;
  const alpha = op === 'Gemm' ? attrFloat(node, 'alpha', 1) : 1;
  const beta = op === 'Gemm' ? attrFloat(node, 'beta', 1) : 1;
  let weight = tensorToFloat32(w);
  if (alpha !== 1) weight = weight.map((v) => v * alpha);
  const channels = outputChannels(node, weightDims);
  const biasName = op === 'MatMul' ? undefined : node.input?.[2] || undefined;
  let bias: Float32Array | undefined;
  if (biasName) {
    const raw = tensorToFloat32(view.initializer(biasName)!);
    bias = raw.length === 1 ? new Float32Array(channels).fill(raw[0]! * beta) : raw.map((v) => v * beta);
  }
  return {
    node, name: layerName(node), op, input: node.input![0]!, output: node.output![0]!,
    weightName: w.name!, weight, weightDims, axis: op === 'Conv' || transB ? 0 : 1, transB, alpha, bias, biasName,
  };
}

export interface LayerScan {
  layers: LayerInfo[];
  /** Conv/Gemm/MatMul nodes left alone, with the reason. */
  rejected: { name: string; op: string; reason: string }[];
}

/** Every quantizable layer of the main graph, in graph order. */
export function findLayers(graph: onnx.IGraphProto): LayerScan {
  const view = new GraphView(graph);
  const scan: LayerScan = { layers: [], rejected: [] };
  const names = new Map<string, number>();
  for (const node of view.nodes) names.set(layerName(node), (names.get(layerName(node)) ?? 0) + 1);
  for (const node of view.nodes) {
    if (!LAYER_OPS.includes(node.opType ?? '') || (node.domain ?? '') !== '') continue;
    // Layers are addressed by name (per-layer params, reports, the rewrite): a shared name is ambiguous.
    const reason = names.get(layerName(node))! > 1 ? 'its node name is not unique in the graph' : rejectReason(node, view);
    if (reason) scan.rejected.push({ name: layerName(node), op: node.opType!, reason });
    else scan.layers.push(describe(node, view));
  }
  return scan;
}

/** K and N of a Gemm/MatMul layer (y[.., N] = x[.., K] · W). */
export function matmulDims(l: LayerInfo): { k: number; n: number } {
  const [a, b] = l.weightDims as [number, number];
  return l.transB ? { k: b, n: a } : { k: a, n: b };
}

/** A Gemm/MatMul weight-shaped array in [K, N] layout (transposing Gemm's [N, K]). */
export function toKxN<T extends Int32Array | Float32Array>(values: T, l: LayerInfo): T {
  if (!l.transB) return values;
  const { k, n } = matmulDims(l);
  const out = new (values.constructor as { new (n: number): T })(values.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[j * n + i] = values[i * k + j]!;
  return out;
}
