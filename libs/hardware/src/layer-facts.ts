import { InvalidModelError } from '@edgefit/core';
import {
  DataType,
  activationBytes,
  analyzeCost,
  attrInt,
  attrInts,
  bitsPerElement,
  graphWeights,
  inferShapes,
  numel,
  tensorByteSize,
  tensorDims,
  type CostReport,
  type TensorInfo,
  type onnx,
} from '@edgefit/onnx';
import { readLayerBits } from './layer-annotation.js';
import type { LayerPrecision } from './precision.js';
import { weightMatrix, type WeightLayout, type WeightMatrix } from './weight-matrix.js';

/**
 * Everything the cost model needs to know about one node of the main graph,
 * read from the ONNX graph once: work, bytes at stored precision, the
 * precision the graph expresses (quantized operator forms, Q/DQ-fed weights,
 * doc_string bit annotations) and the weights themselves for sparsity.
 * Device-specific choices (does QDQ fold? does the op run here?) are made
 * later, in the cost model, from these facts.
 */
export type LayerRole = 'mac' | 'elementwise' | 'free' | 'quantize' | 'dequantize';

/** How a MAC layer expresses its precision in the graph. */
export type LayerForm = 'float' | 'qlinear' | 'integer' | 'nbits' | 'qdq' | 'weight-only' | 'annotated';

export interface ActivationInput {
  name: string;
  elements: number;
  /** Bytes at the stored element type. */
  bytes: number;
  /** Bits when the value is quantized (stored as integers, or float between DequantizeLinear and QuantizeLinear); null for float. */
  quantBits: number | null;
}

export interface LayerFacts {
  index: number;
  name: string;
  op: string;
  role: LayerRole;
  form: LayerForm | null;
  /** Multiply-accumulates (from analyzeCost). */
  macs: number;
  /** Element-wise operations (pooling counts its window), for non-MAC layers. */
  ops: number;
  inputs: ActivationInput[];
  outputs: string[];
  outputElements: number;
  outputBytes: number;
  /** Bits of the output when it stays quantized (fold semantics); null when float. */
  outputQuantBits: number | null;
  /** Weights read directly (initializers / Constants, biases and scales included), stored bytes. */
  directWeightBytes: number;
  /** Weights read through DequantizeLinear: their stored (integer) bytes with scales and zero points… */
  dqWeightBytes: number;
  /** …and the float tensor the DequantizeLinear writes. */
  dqWeightFloatBytes: number;
  /** Elements of the main weight tensor (0 without weights). */
  weightElements: number;
  /** Stored bytes of the main weight tensor (direct or behind its DequantizeLinear). */
  mainWeightBytes: number;
  /** Names of the weight tensors this layer reads (directly or through DQ), to count shared weights once. */
  weightNames: string[];
  /** The precision the graph expresses for this layer. */
  precision: LayerPrecision;
  /** Quantized form whose output every consumer re-quantizes: onnxruntime fuses it into one integer kernel. */
  qdqComplete: boolean;
  /**
   * Float Conv / Gemm / MatMul with float weights between an 8-bit
   * DequantizeLinear input and a re-quantized output (a simulated layer in a
   * QDQ graph): onnxruntime quantizes the weights to int8 when it loads the
   * model and fuses the group into an integer kernel like a QDQ group.
   */
  floatWeightsInQdq?: boolean;
  /** DequantizeLinear whose input is a weight. */
  dequantizesWeight: boolean;
  /** Index of the MAC layer this activation / BatchNormalization fuses into; null if it runs on its own. */
  fusedInto: number | null;
  /** The layer as a matrix multiply per group: M×K×N, `groups` times. */
  matmul: { m: number; k: number; n: number; groups: number } | null;
  depthwise: boolean;
  weights: WeightMatrix | null;
}

export interface ModelFacts {
  /** Batch size the facts were computed at. */
  batch: number;
  layers: LayerFacts[];
  graphInputs: ActivationInput[];
  graphOutputs: ActivationInput[];
  cost: CostReport;
  /** Stored bytes of every weight tensor, by name. */
  weightTensorBytes: Map<string, number>;
  /** Elements of every weight tensor, by name. */
  weightTensorElements: Map<string, number>;
}

export const FREE_OPS: ReadonlySet<string> = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Constant', 'Shape', 'Size']);
export const MAC_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger', 'MatMulNBits', 'LSTM', 'GRU', 'RNN']);
/** Activations and BatchNormalization that inference engines fold into the preceding Conv / Gemm. */
const FUSABLE = new Set(['Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'BatchNormalization']);
/** Ops that pass quantized values through unchanged in an integer pipeline. */
const TRANSPARENT = new Set([...FUSABLE, ...FREE_OPS, 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Concat', 'Transpose', 'Pad', 'Slice', 'Gather', 'Split']);
const FLOAT_WEIGHT_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);
const INT_TYPES: ReadonlySet<number> = new Set([DataType.INT8, DataType.UINT8, DataType.INT4, DataType.UINT4, DataType.INT16, DataType.UINT16]);
/** Element-wise operations per output element where it is not 1. */
const OPS_PER_ELEMENT: Readonly<Record<string, number>> = { Softmax: 3, LogSoftmax: 3, BatchNormalization: 2, LayerNormalization: 5, Concat: 0, Transpose: 0, Gather: 0, Slice: 0, Pad: 0 };

const bits = (info: TensorInfo | undefined): number => bitsPerElement(info?.elemType ?? 0);
const elements = (info: TensorInfo | undefined): number => numel(info?.shape) ?? 0;

/** Weight input index, zero-point input index and layout of each MAC op's main weight. */
function weightSlot(node: onnx.INodeProto): { index: number; zp: number | null; layout: WeightLayout } | null {
  switch (node.opType) {
    case 'Conv': case 'ConvTranspose': return { index: 1, zp: null, layout: 'outputs-first' };
    case 'QLinearConv': return { index: 3, zp: 5, layout: 'outputs-first' };
    case 'ConvInteger': return { index: 1, zp: 3, layout: 'outputs-first' };
    case 'Gemm': return { index: 1, zp: null, layout: attrInt(node, 'transB', 0) ? 'outputs-first' : 'reduction-first' };
    case 'MatMul': return { index: 1, zp: null, layout: 'reduction-first' };
    case 'QLinearMatMul': return { index: 3, zp: 5, layout: 'reduction-first' };
    case 'MatMulInteger': return { index: 1, zp: 3, layout: 'reduction-first' };
    default: return null;
  }
}

function isConvLike(op: string): boolean {
  return op === 'Conv' || op === 'QLinearConv' || op === 'ConvInteger' || op === 'ConvTranspose';
}

/** Per-node facts of the main graph, at the given batch size. */
export function extractLayerFacts(model: onnx.IModelProto, options: { batch?: number; strict?: boolean } = {}): ModelFacts {
  const graph = model.graph;
  if (!graph) throw new InvalidModelError('model has no graph');
  const cost = analyzeCost(model, options);
  const shapes = inferShapes(model, options);
  const nodes = graph.node ?? [];
  const weights = new Map(graphWeights(graph).map((w) => [w.name, w.tensor] as const));
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) if (o) producer.set(o, i);
    for (const name of n.input ?? []) if (name) consumers.set(name, [...(consumers.get(name) ?? []), i]);
  });
  const graphOutputNames = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const info = (name: string) => shapes.main.get(name);

  /** The DequantizeLinear node producing `value` from a weight, if any. */
  const dqOfWeight = (value: string): onnx.INodeProto | undefined => {
    const p = producer.get(value);
    const node = p === undefined ? undefined : nodes[p];
    return node?.opType === 'DequantizeLinear' && weights.has(node.input?.[0] ?? '') ? node : undefined;
  };
  const quantBits = new Map<string, number | null>();
  const quantOf = (name: string): number | null => {
    const i = info(name);
    if (i && INT_TYPES.has(i.elemType)) return bits(i);
    return quantBits.get(name) ?? null;
  };
  const activation = (name: string): ActivationInput => {
    const i = info(name);
    return { name, elements: elements(i), bytes: activationBytes(i), quantBits: quantOf(name) };
  };
  const graphInputs = (graph.input ?? []).filter((v) => !weights.has(v.name ?? '')).map((v) => activation(v.name ?? ''));
  /**
   * Bits a float value effectively has because every path from it reaches a
   * QuantizeLinear through value-preserving ops only (Relu, MaxPool, Reshape…):
   * an integer pipeline computes those ops on the quantized tensor.
   */
  const requantMemo = new Map<string, number | null>();
  const requantizedBits = (value: string): number | null => {
    if (requantMemo.has(value)) return requantMemo.get(value)!;
    requantMemo.set(value, null); // cycle guard (graphs are DAGs; this only protects against malformed input)
    const readers = consumers.get(value) ?? [];
    let result: number | null = null;
    if (readers.length > 0 && !graphOutputNames.has(value)) {
      const per = readers.map((r) => {
        const n = nodes[r]!;
        if (n.opType === 'QuantizeLinear') return bits(info(n.output?.[0] ?? ''));
        if (!TRANSPARENT.has(n.opType ?? '')) return null;
        return requantizedBits(n.output?.[0] ?? '');
      });
      if (per.every((b) => b !== null)) result = Math.max(...(per as number[]));
    }
    requantMemo.set(value, result);
    return result;
  };

  const layers: LayerFacts[] = [];
  nodes.forEach((node, index) => {
    const op = node.opType ?? '';
    const ns = shapes.nodes.get(node)!;
    const layerCost = cost.layers[index]!;
    const inNames = node.input ?? [];
    const dqInputs = inNames.map((n) => (n ? dqOfWeight(n) : undefined));
    const inputs = inNames
      .filter((n, i) => n && !weights.has(n) && !dqInputs[i])
      .filter((n, i, all) => all.indexOf(n) === i)
      .map(activation);
    const weightNames: string[] = [];
    let directWeightBytes = 0;
    let dqWeightBytes = 0;
    let dqWeightFloatBytes = 0;
    inNames.forEach((n, i) => {
      if (n && weights.has(n)) {
        directWeightBytes += tensorByteSize(weights.get(n)!);
        weightNames.push(n);
      }
      const dq = dqInputs[i];
      if (dq) {
        for (const d of dq.input ?? []) if (d && weights.has(d)) {
          dqWeightBytes += tensorByteSize(weights.get(d)!);
          weightNames.push(d);
        }
        dqWeightFloatBytes += activationBytes(info(n));
      }
    });
    const outputInfo = ns.outputs[0];
    const outputElements = elements(outputInfo);
    const macs = layerCost.macs;
    const role: LayerRole = op === 'QuantizeLinear' ? 'quantize'
      : op === 'DequantizeLinear' ? 'dequantize'
      : FREE_OPS.has(op) ? 'free'
      : MAC_OPS.has(op) && macs > 0 ? 'mac'
      : 'elementwise';

    let form: LayerForm | null = null;
    let precision: LayerPrecision;
    let outQuant: number | null = null;
    const slot = weightSlot(node);
    let weightElements = 0;
    let mainWeightBytes = 0;
    let weights_: WeightMatrix | null = null;
    if (role === 'mac') {
      const annotated = readLayerBits(node);
      const in0 = inNames[0] ?? '';
      const wName = slot ? inNames[slot.index] ?? '' : '';
      const wDq = wName ? dqOfWeight(wName) : undefined;
      const wTensor = wDq ? weights.get(wDq.input?.[0] ?? '') : weights.get(wName);
      mainWeightBytes = wTensor ? tensorByteSize(wTensor) : op === 'MatMulNBits' ? tensorByteSize(weights.get(inNames[1] ?? '') ?? {}) : 0;
      weightElements = wTensor ? tensorDims(wTensor).reduce((a, b) => a * b, 1) : op === 'MatMulNBits' ? attrInt(node, 'K', 0) * attrInt(node, 'N', 0) : 0;
      if (op === 'QLinearConv' || op === 'QLinearMatMul') {
        form = 'qlinear';
        precision = { kind: 'int', wBits: bits(ns.inputs[3]), aBits: bits(ns.inputs[0]) };
        outQuant = bits(outputInfo);
      } else if (op === 'ConvInteger' || op === 'MatMulInteger') {
        form = 'integer';
        precision = { kind: 'int', wBits: bits(ns.inputs[1]), aBits: bits(ns.inputs[0]) };
      } else if (op === 'MatMulNBits') {
        form = 'nbits';
        precision = { kind: 'float', wBits: attrInt(node, 'bits', 4), aBits: bits(ns.inputs[0]) || 32 };
      } else {
        const aQuant = quantOf(in0);
        const wQuant = wDq ? bits(info(wDq.input?.[0] ?? '')) : wName && !weights.has(wName) ? quantOf(wName) : null;
        if (aQuant !== null && wQuant !== null) {
          form = 'qdq';
          precision = { kind: 'int', wBits: wQuant, aBits: aQuant };
        } else if (wDq && wQuant !== null) {
          form = 'weight-only';
          precision = { kind: 'float', wBits: wQuant, aBits: bits(ns.inputs[0]) || 32 };
        } else {
          form = 'float';
          const aBits = bits(ns.inputs[0]) || 32;
          precision = { kind: 'float', wBits: wTensor ? bitsPerElement(wTensor.dataType ?? 0) : aBits, aBits };
        }
      }
      // The annotation states how a simulated layer (float kernels on
      // fake-quantized values) is meant to be deployed. A layer whose graph
      // already expresses its precision (QLinear*, *Integer, MatMulNBits, QDQ,
      // weight-only DequantizeLinear) runs as the graph says: the quantize pass
      // marks those layers too, and the marker must not hide the real form.
      if (annotated && form === 'float') {
        form = 'annotated';
        precision = { kind: 'int', wBits: annotated.wBits, aBits: annotated.aBits };
        outQuant = annotated.aBits;
      }
      if (slot && wTensor && (weightElements > 0)) {
        const zpName = wDq ? wDq.input?.[2] : slot.zp !== null ? inNames[slot.zp] : undefined;
        const zpTensor = zpName ? weights.get(zpName) : undefined;
        const axis = wDq ? attrInt(wDq, 'axis', 1) : 0;
        weights_ = weightMatrix(wTensor, slot.layout, zpTensor ? { tensor: zpTensor, axis } : undefined);
      }
    } else if (role === 'quantize') {
      outQuant = bits(outputInfo);
      precision = { kind: 'int', wBits: 0, aBits: outQuant };
    } else if (role === 'dequantize') {
      outQuant = bits(ns.inputs[0]);
      precision = { kind: 'int', wBits: 0, aBits: outQuant };
    } else {
      const q = inputs.map((i) => i.quantBits);
      const allQuant = q.length > 0 && q.every((b) => b !== null);
      if (allQuant) {
        outQuant = Math.max(...(q as number[]));
        precision = { kind: 'int', wBits: 0, aBits: outQuant };
      } else {
        const floatBits = inputs.filter((i) => i.quantBits === null).map((i) => bits(info(i.name)));
        const aBits = floatBits.includes(64) ? 64 : floatBits.length > 0 && floatBits.every((b) => b === 16) ? 16 : 32;
        precision = { kind: 'float', wBits: 0, aBits };
      }
    }
    outQuant ??= requantizedBits(node.output?.[0] ?? '');
    for (const o of node.output ?? []) if (o) quantBits.set(o, outQuant);

    const qdqComplete = form === 'qdq' && requantizedBits(node.output?.[0] ?? '') !== null;
    const floatWeightsInQdq = role === 'mac' && (form === 'float' || form === 'annotated') && FLOAT_WEIGHT_OPS.has(op)
      && quantOf(inNames[0] ?? '') === 8 && requantizedBits(node.output?.[0] ?? '') === 8
      && !!slot && weights.has(inNames[slot.index] ?? '') && weights.get(inNames[slot.index] ?? '')!.dataType === DataType.FLOAT;
    let matmul: LayerFacts['matmul'] = null;
    let depthwise = false;
    if (role === 'mac' && outputElements > 0) {
      const k = Math.max(1, Math.round(macs / outputElements));
      if (isConvLike(op)) {
        const group = attrInt(node, 'group', 1);
        const wShape = slot ? ns.inputs[slot.index]?.shape : undefined;
        const cout = op === 'ConvTranspose' ? (wShape?.[1] ?? 1) * group : wShape?.[0] ?? outputInfo?.shape?.[1] ?? 1;
        depthwise = group > 1 && wShape?.[1] === 1;
        matmul = { m: Math.max(1, Math.round(outputElements / cout)), k, n: Math.max(1, Math.round(cout / group)), groups: group };
      } else {
        const n = outputInfo?.shape?.[outputInfo.shape.length - 1] ?? 1;
        matmul = { m: Math.max(1, Math.round(outputElements / n)), k, n, groups: 1 };
      }
    }
    let ops = 0;
    if (role === 'elementwise' || role === 'quantize' || role === 'dequantize') {
      if (op === 'MaxPool' || op === 'AveragePool' || op === 'LpPool') {
        ops = outputElements * attrInts(node, 'kernel_shape', [1]).reduce((a, b) => a * b, 1);
      } else if (op.startsWith('Global') || op.startsWith('Reduce')) {
        ops = inputs.reduce((s, i) => s + i.elements, 0);
      } else {
        ops = outputElements * (OPS_PER_ELEMENT[op] ?? 1);
      }
    }
    layers.push({
      index,
      name: layerCost.name,
      op,
      role,
      form,
      macs: role === 'mac' ? macs : 0,
      ops,
      inputs,
      outputs: (node.output ?? []).filter(Boolean),
      outputElements,
      outputBytes: layerCost.outputBytes,
      outputQuantBits: outQuant,
      directWeightBytes,
      dqWeightBytes,
      dqWeightFloatBytes,
      weightElements,
      mainWeightBytes,
      weightNames,
      precision: precision!,
      qdqComplete,
      floatWeightsInQdq,
      dequantizesWeight: role === 'dequantize' && weights.has(inNames[0] ?? ''),
      fusedInto: null,
      matmul,
      depthwise,
      weights: weights_,
    });
  });

  // Fuse activations / BatchNormalization into the MAC layer they follow, when
  // nothing else reads the MAC's output (onnxruntime, TFLite and TensorRT all do).
  const singleReader = (value: string) => (consumers.get(value) ?? []).length === 1 && !graphOutputNames.has(value);
  for (const layer of layers) {
    const node = nodes[layer.index]!;
    const op = layer.op;
    const biasAdd = op === 'Add' && layer.inputs.length === 1 && layer.directWeightBytes > 0;
    if (!FUSABLE.has(op) && !biasAdd) continue;
    // walk back through Q/DQ pairs: Conv → Q → DQ → Relu fuses just like Conv → Relu
    let src = node.input?.[0] ?? '';
    let p = producer.get(src);
    while (p !== undefined && (layers[p]!.role === 'quantize' || layers[p]!.role === 'dequantize') && singleReader(src)) {
      src = nodes[p]!.input?.[0] ?? '';
      p = producer.get(src);
    }
    if (p === undefined || !singleReader(src)) continue;
    const host = layers[p]!.role === 'mac' ? p : layers[p]!.fusedInto;
    if (host === null || host === undefined) continue;
    layer.fusedInto = host;
  }

  const weightTensorBytes = new Map<string, number>();
  const weightTensorElements = new Map<string, number>();
  for (const [name, t] of weights) {
    weightTensorBytes.set(name, tensorByteSize(t));
    weightTensorElements.set(name, tensorDims(t).reduce((a, b) => a * b, 1));
  }
  const graphOutputs = (graph.output ?? []).map((o) => activation(o.name ?? ''));
  return { batch: options.batch ?? 1, layers, graphInputs, graphOutputs, cost, weightTensorBytes, weightTensorElements };
}
