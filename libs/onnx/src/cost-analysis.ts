import { InvalidModelError } from '@edgefit/core';
import { onnx } from './proto.js';
import { decodeModel } from './model-io.js';
import type { ModelLimits } from './limits.js';
import { nodeMacs } from './macs.js';
import { activationBytes, peakActivationBytes } from './peak-memory.js';
import { inferShapes, type ShapeOptions } from './shape-inference.js';
import type { InferredDim as Dim } from './shapes/index.js';
import { validateModel } from './validate.js';
import { inputUses, weightCost, type WeightCost } from './weight-roles.js';
import { graphWeights, listWeights, nodeReads, walkGraphs, type WeightRef } from './walk.js';

export interface LayerCost {
  name: string;
  op: string;
  /** Parameters of the weights this node reads first (an If/Loop node: all weights of its subgraphs). */
  params: number;
  macs: number;
  weightBytes: number;
  /** Bytes of the node's outputs (0 for Constant: its output is a weight). */
  outputBytes: number;
  /** Shape of the first output; null if not known. */
  outputShape: Dim[] | null;
}

export interface CostReport {
  /** Elements of every parameter tensor in the model, each counted once. */
  params: number;
  macs: number;
  /** Stored bytes of parameters and quantization scales / zero points. */
  weightBytes: number;
  peakActivationBytes: number;
  /** One entry per node of the main graph, in execution order. */
  layers: LayerCost[];
  /** Ops whose shapes could not be inferred (lenient mode only): their MACs and outputs count as 0. */
  unknownOps: string[];
}

export type CostOptions = ShapeOptions;

/** A weight's identity across walks: its Constant node, or the initializer tensor itself. */
const weightKey = (w: WeightRef): object => w.node ?? w.tensor;

/** Weights defined inside a node's subgraphs, plus main-graph weights it (or they) read. */
function weightsClaimedBy(node: onnx.INodeProto, topLevel: Map<string, WeightRef>): WeightRef[] {
  const claimed = nodeReads(node).map((name) => topLevel.get(name)).filter((w): w is WeightRef => !!w);
  for (const attr of node.attribute ?? []) {
    for (const g of [attr.g, ...(attr.graphs ?? [])]) if (g) walkGraphs(g, (v) => claimed.push(...graphWeights(v.graph, v.path)));
  }
  return claimed;
}

/**
 * Parameters, MACs, weight bytes and activation memory, per node of the main
 * graph and in total. Weights shared by several nodes count once (for the
 * first reader); If nodes count the MACs of their larger branch.
 */
export function analyzeCost(model: onnx.IModelProto, options: CostOptions = {}): CostReport {
  const graph = model.graph;
  if (!graph) throw new InvalidModelError('model has no graph');
  const shapes = inferShapes(model, options);
  const uses = inputUses(model);
  const costs = new Map<object, WeightCost>();
  for (const w of listWeights(model)) costs.set(weightKey(w), weightCost(w, uses.get(w.name) ?? []));
  const topLevel = new Map(graphWeights(graph).map((w) => [w.name, w] as const));

  const counted = new Set<object>();
  const layers: LayerCost[] = (graph.node ?? []).map((node) => {
    const ns = shapes.nodes.get(node)!;
    let params = 0;
    let weightBytes = 0;
    for (const w of weightsClaimedBy(node, topLevel)) {
      const key = weightKey(w);
      if (counted.has(key)) continue;
      counted.add(key);
      params += costs.get(key)!.params;
      weightBytes += costs.get(key)!.bytes;
    }
    const isConstant = node.opType === 'Constant';
    return {
      name: node.name || node.output?.[0] || '',
      op: node.opType ?? '',
      params,
      macs: nodeMacs(ns, shapes),
      weightBytes,
      outputBytes: isConstant ? 0 : ns.outputs.reduce((sum, o) => sum + activationBytes(o), 0),
      outputShape: ns.outputs[0]?.shape ? [...ns.outputs[0].shape] : null,
    };
  });
  const all = [...costs.values()];
  return {
    params: all.reduce((s, c) => s + c.params, 0),
    macs: layers.reduce((s, l) => s + l.macs, 0),
    weightBytes: all.reduce((s, c) => s + c.bytes, 0),
    peakActivationBytes: peakActivationBytes(graph, shapes.main),
    layers,
    unknownOps: [...new Set(shapes.unknownOps.map((u) => u.op))],
  };
}

/** Validate (see validateModel) and then analyze: what `edgefit inspect` reports. */
export function inspectModel(model: Uint8Array | onnx.IModelProto, options: CostOptions & { limits?: Partial<ModelLimits> } = {}): CostReport {
  const proto = model instanceof Uint8Array ? decodeModel(model) : model;
  validateModel(proto, options.limits, { batch: options.batch });
  return analyzeCost(proto, options);
}
