import { attrInt } from './attributes.js';
import { onnx } from './proto.js';
import type { NodeShapes, ShapeResult } from './shape-inference.js';
import { RECURRENT_GATES, numel, type InferredDim as Dim } from './shapes/index.js';
import { subgraphsOf } from './walk.js';

const product = (dims: readonly Dim[] | undefined): number => numel(dims) ?? 0;

/** Output elements × the multiply-accumulates each one needs. */
function perOutput(ns: NodeShapes, perElement: number | null): number {
  return perElement === null ? 0 : product(ns.outputs[0]?.shape) * perElement;
}

const lastDim = (shape: readonly Dim[] | undefined): number | null => (shape && shape.length > 0 ? shape[shape.length - 1] ?? null : null);

function convMacs(ns: NodeShapes, weightIndex: number): number {
  const w = ns.inputs[weightIndex]?.shape;
  return w ? perOutput(ns, numel(w.slice(1))) : 0;
}

function recurrentMacs(ns: NodeShapes): number {
  const x = ns.inputs[0]?.shape;
  const w = ns.inputs[1]?.shape;
  if (!x || !w || x.length !== 3 || w.length !== 3) return 0;
  const [dirs, gatesHidden, input] = w;
  const hidden = gatesHidden == null ? null : gatesHidden / RECURRENT_GATES[ns.node.opType ?? '']!;
  const steps = numel(x.slice(0, 2));
  if (dirs == null || hidden == null || input == null || steps === null) return 0;
  return steps * dirs * gatesHidden! * (input + hidden);
}

/**
 * Multiply-accumulates of one node: Conv N·Cout·Hout·Wout·(Cin/group)·kH·kW,
 * Gemm/MatMul M·K·N (and their integer / quantized forms), LSTM/GRU/RNN
 * seq·batch·dirs·gates·H·(I+H), If the larger branch. Element-wise ops,
 * BatchNormalization, pools: 0. Unknown shapes give 0.
 */
export function nodeMacs(ns: NodeShapes, shapes: ShapeResult): number {
  const op = ns.node.opType ?? '';
  switch (op) {
    case 'Conv':
    case 'ConvInteger':
      return convMacs(ns, 1);
    case 'QLinearConv':
      return convMacs(ns, 3);
    case 'ConvTranspose': {
      const w = ns.inputs[1]?.shape;
      return w ? product(ns.inputs[0]?.shape) * product(w.slice(1)) : 0;
    }
    case 'Gemm': {
      const a = ns.inputs[0]?.shape;
      return perOutput(ns, a?.length === 2 ? a[attrInt(ns.node, 'transA', 0) ? 0 : 1]! : null);
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
      return perOutput(ns, lastDim(ns.inputs[0]?.shape));
    case 'MatMulNBits':
      return perOutput(ns, attrInt(ns.node, 'K', 0));
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return recurrentMacs(ns);
    case 'If':
      return Math.max(0, ...subgraphsOf(ns.node).map((s) => graphMacs(s.graph, shapes)));
    default:
      // Loop/Scan bodies: one iteration (the trip count is rarely static).
      return subgraphsOf(ns.node).reduce((sum, s) => sum + graphMacs(s.graph, shapes), 0);
  }
}

export function graphMacs(graph: onnx.IGraphProto, shapes: ShapeResult): number {
  let total = 0;
  for (const node of graph.node ?? []) {
    const ns = shapes.nodes.get(node);
    if (ns) total += nodeMacs(ns, shapes);
  }
  return total;
}
