import type { CostReport } from '@edgefit/onnx';
import { FREE_OPS, MAC_OPS, type ActivationInput, type LayerFacts, type ModelFacts } from './layer-facts.js';

/**
 * Facts from analyzeCost's report alone, for callers that have no graph at
 * hand: each layer reads the previous layer's output, QLinear / Integer ops
 * count as int8, everything else as fp32, weights at their reported bytes.
 * Coarser than extractLayerFacts: no Q/DQ forms, annotations or sparsity.
 */
const INT8_OPS = new Set(['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger']);

export function factsFromCostReport(report: CostReport, batch: number): ModelFacts {
  let previous: ActivationInput = { name: 'input', elements: 0, bytes: 0, quantBits: null };
  const layers: LayerFacts[] = report.layers.map((l, index) => {
    const int8 = INT8_OPS.has(l.op);
    const role = l.op === 'QuantizeLinear' ? 'quantize' : l.op === 'DequantizeLinear' ? 'dequantize' : FREE_OPS.has(l.op) ? 'free' : MAC_OPS.has(l.op) && l.macs > 0 ? 'mac' : 'elementwise';
    const outputElements = l.outputShape && l.outputShape.every((d) => d !== null) ? (l.outputShape as number[]).reduce((a, b) => a * b, 1) : 0;
    const output = `${l.name}#out`;
    const facts: LayerFacts = {
      index,
      name: l.name,
      op: l.op,
      role,
      form: role === 'mac' ? (int8 ? 'qlinear' : 'float') : null,
      macs: role === 'mac' ? l.macs : 0,
      ops: role === 'mac' ? 0 : outputElements,
      inputs: [previous],
      outputs: [output],
      outputElements,
      outputBytes: l.outputBytes,
      outputQuantBits: int8 ? 8 : null,
      directWeightBytes: l.weightBytes,
      dqWeightBytes: 0,
      dqWeightFloatBytes: 0,
      weightElements: l.params,
      mainWeightBytes: l.weightBytes,
      weightNames: [],
      precision: int8 ? { kind: 'int', wBits: 8, aBits: 8 } : { kind: 'float', wBits: 32, aBits: 32 },
      qdqComplete: false,
      dequantizesWeight: false,
      fusedInto: null,
      matmul: null,
      depthwise: false,
      weights: null,
    };
    previous = { name: output, elements: outputElements, bytes: l.outputBytes, quantBits: int8 ? 8 : null };
    return facts;
  });
  return {
    batch,
    layers,
    graphInputs: [{ name: 'input', elements: 0, bytes: 0, quantBits: null }],
    graphOutputs: [previous],
    cost: report,
    weightTensorBytes: new Map(),
    weightTensorElements: new Map(),
  };
}
