import { describe, expect, it } from 'vitest';
import { analyzeCost, decodeModel, inferShapes, inspectModel, int64, onnx, validateModel } from '@edgefit/onnx';
import { VAD_MODELS } from '../test-fixtures/vad.js';
import { runModel } from '../test-fixtures/ort.js';

const FLOAT_TYPES = [1, 10, 11, 16]; // FLOAT, FLOAT16, DOUBLE, BFLOAT16

/**
 * An independent count, on purpose not using walk.ts: elements of every
 * float tensor of rank ≥ 1 among initializers and Constant values of the
 * graph and all its subgraphs.
 */
function independentParamCount(graph: onnx.IGraphProto): number {
  let total = 0;
  const count = (t: onnx.ITensorProto) => {
    const dims = (t.dims ?? []).map((d) => int64(d as number));
    if (FLOAT_TYPES.includes(t.dataType ?? 0) && dims.length >= 1) total += dims.reduce((a, b) => a * b, 1);
  };
  for (const t of graph.initializer ?? []) count(t);
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (node.opType === 'Constant' && a.name === 'value' && a.t) count(a.t);
      if (node.opType === 'Constant' && a.name === 'value_floats') total += a.floats?.length ?? 0;
      for (const g of [a.g, ...(a.graphs ?? [])]) if (g) total += independentParamCount(g);
    }
  }
  return total;
}

/** Pinned after first measurement; the independent count above must agree. */
const PINNED: Record<string, { params: number; macs: number }> = {
  silero_vad_legacy: { params: 444_936, macs: 764_616 },
  silero_vad_v5: { params: 545_282, macs: 679_552 },
  silero_vad_v6: { params: 545_282, macs: 679_552 },
};

describe.each(VAD_MODELS.map((m) => [m.name, m] as const))('%s', (name, vad) => {
  const model = () => decodeModel(vad.bytes, name);

  it('passes validation (LSTM, If subgraphs, weights in Constant nodes)', () => {
    const report = validateModel(model());
    expect(report.graphs).toBeGreaterThan(1);
    expect(report.opsets['']).toBe(16);
  });

  it('has the parameter count of an independent traversal, and the pinned one', () => {
    const cost = analyzeCost(model(), { inputShapes: vad.inputShapes });
    expect(cost.params).toBe(independentParamCount(model().graph!));
    expect(cost.params).toBe(PINNED[name]!.params);
    expect(cost.macs).toBe(PINNED[name]!.macs);
    expect(cost.unknownOps).toEqual([]);
    // Every weight sits in (or is read by) the top-level If: it carries all the parameters.
    expect(cost.layers.find((l) => l.op === 'If')!.params).toBe(cost.params);
  });

  it('strict inspection infers every output shape onnxruntime produces', async () => {
    const cost = inspectModel(vad.bytes, { inputShapes: vad.inputShapes });
    expect(cost.params).toBe(PINNED[name]!.params);
    const shapes = inferShapes(model(), { inputShapes: vad.inputShapes });
    const outputs = await runModel(vad.bytes, vad.feeds(16000));
    for (const [outName, tensor] of Object.entries(outputs)) {
      expect({ outName, shape: shapes.main.get(outName)?.shape }).toEqual({ outName, shape: tensor.dims });
    }
  });
});
