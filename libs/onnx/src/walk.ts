import { InvalidModelError } from '@edgefit/core';
import { DataType, onnx } from './proto.js';
import { getAttr } from './attributes.js';
import { assertNotExternal } from './tensor.js';

/** Deeper nesting than this is refused: real models nest If/Loop a few levels, a bomb nests thousands. */
export const MAX_SUBGRAPH_DEPTH = 32;

/** One graph met during a walk: the root graph or a subgraph held by a node attribute. */
export interface GraphVisit {
  graph: onnx.IGraphProto;
  /** Human-readable location, e.g. `graph 'main' > node 'If_0' (If).then_branch`. */
  path: string;
  depth: number;
  /** The node (and attribute) holding this subgraph; undefined for the root. */
  owner?: { node: onnx.INodeProto; attribute: string };
}

/** A weight: an initializer or the tensor of a Constant node, in any graph. */
export interface WeightRef {
  /** The value name consumers use (initializer name or the Constant's output). */
  name: string;
  tensor: onnx.ITensorProto;
  source: 'initializer' | 'constant';
  /** The Constant node, when source is 'constant'. */
  node?: onnx.INodeProto;
  graph: onnx.IGraphProto;
  /** Where the weight sits, for error messages. */
  where: string;
}

export function graphLabel(graph: onnx.IGraphProto): string {
  return `graph '${graph.name ?? ''}'`;
}

export function nodeLabel(node: onnx.INodeProto): string {
  return `node '${node.name || node.output?.[0] || '?'}' (${node.opType ?? '?'})`;
}

/** The subgraphs a node holds (If branches, Loop/Scan bodies), from GRAPH and GRAPHS attributes. */
export function subgraphsOf(node: onnx.INodeProto): { attribute: string; graph: onnx.IGraphProto }[] {
  const found: { attribute: string; graph: onnx.IGraphProto }[] = [];
  for (const a of node.attribute ?? []) {
    if (a.g) found.push({ attribute: a.name ?? '', graph: a.g });
    for (const g of a.graphs ?? []) found.push({ attribute: a.name ?? '', graph: g });
  }
  return found;
}

/** Depth-first, pre-order walk over a graph and every subgraph below it. */
export function walkGraphs(root: onnx.IGraphProto, visit: (v: GraphVisit) => void, rootPath = graphLabel(root)): void {
  const go = (v: GraphVisit): void => {
    if (v.depth > MAX_SUBGRAPH_DEPTH) {
      throw new InvalidModelError(`${v.path}: subgraphs nested deeper than ${MAX_SUBGRAPH_DEPTH} levels; refusing the model`);
    }
    visit(v);
    for (const node of v.graph.node ?? []) {
      for (const sub of subgraphsOf(node)) {
        go({ graph: sub.graph, path: `${v.path} > ${nodeLabel(node)}.${sub.attribute}`, depth: v.depth + 1, owner: { node, attribute: sub.attribute } });
      }
    }
  };
  go({ graph: root, path: rootPath, depth: 0 });
}

/** Every graph of the model, root first. */
export function allGraphs(model: onnx.IModelProto): GraphVisit[] {
  const out: GraphVisit[] = [];
  if (model.graph) walkGraphs(model.graph, (v) => out.push(v));
  return out;
}

/**
 * The tensor a Constant node produces, from whichever attribute holds it
 * (value, value_float(s), value_int(s)). Sparse and string constants are not
 * weights and give undefined.
 */
export function constantTensor(node: onnx.INodeProto): onnx.ITensorProto | undefined {
  if (node.opType !== 'Constant') return undefined;
  const name = node.output?.[0] ?? '';
  for (const a of node.attribute ?? []) {
    const v = getAttr(node, a.name ?? '');
    switch (a.name) {
      case 'value': return v as onnx.ITensorProto;
      case 'value_float': return onnx.TensorProto.create({ name, dims: [], dataType: DataType.FLOAT, floatData: [v as number] });
      case 'value_floats': return onnx.TensorProto.create({ name, dims: [(v as number[]).length], dataType: DataType.FLOAT, floatData: v as number[] });
      case 'value_int': return onnx.TensorProto.create({ name, dims: [], dataType: DataType.INT64, int64Data: [v as number] });
      case 'value_ints': return onnx.TensorProto.create({ name, dims: [(v as number[]).length], dataType: DataType.INT64, int64Data: v as number[] });
    }
  }
  return undefined;
}

/** Weights defined directly in one graph (not its subgraphs). */
export function graphWeights(graph: onnx.IGraphProto, path = graphLabel(graph)): WeightRef[] {
  const out: WeightRef[] = [];
  for (const t of graph.initializer ?? []) {
    const where = `(initializer in ${path})`;
    assertNotExternal(t, where);
    out.push({ name: t.name ?? '', tensor: t, source: 'initializer', graph, where });
  }
  for (const node of graph.node ?? []) {
    const t = constantTensor(node);
    if (!t) continue;
    const where = `(value of Constant ${nodeLabel(node)} in ${path})`;
    assertNotExternal(t, where);
    out.push({ name: node.output?.[0] ?? '', tensor: t, source: 'constant', node, graph, where });
  }
  return out;
}

/**
 * All weights of a model or graph, subgraphs included. Throws
 * InvalidModelError for external data: edgefit never opens a file a model names.
 */
export function listWeights(modelOrGraph: onnx.IModelProto | onnx.IGraphProto): WeightRef[] {
  const root = 'graph' in modelOrGraph && modelOrGraph.graph ? modelOrGraph.graph : (modelOrGraph as onnx.IGraphProto);
  const out: WeightRef[] = [];
  walkGraphs(root, (v) => out.push(...graphWeights(v.graph, v.path)));
  return out;
}

/**
 * Refuse external data and sparse tensors anywhere: initializers, Constant
 * values and every tensor-valued attribute of every node, in every graph.
 */
export function assertNoExternalData(model: onnx.IModelProto): void {
  for (const { graph, path } of allGraphs(model)) {
    graphWeights(graph, path);
    if ((graph.sparseInitializer?.length ?? 0) > 0) {
      throw new InvalidModelError(`${path} has sparse initializers ('${graph.sparseInitializer![0]!.values?.name ?? ''}'); sparse tensors are not supported: store them dense`);
    }
    for (const node of graph.node ?? []) {
      for (const a of node.attribute ?? []) {
        const where = `(attribute '${a.name}' of ${nodeLabel(node)} in ${path})`;
        if (a.t) assertNotExternal(a.t, where);
        for (const t of a.tensors ?? []) assertNotExternal(t, where);
        if (a.sparseTensor || (a.sparseTensors?.length ?? 0) > 0) {
          throw new InvalidModelError(`attribute '${a.name}' of ${nodeLabel(node)} in ${path} holds a sparse tensor; sparse tensors are not supported: store it dense`);
        }
      }
    }
  }
}

/**
 * Names a graph uses but does not define (read from an enclosing scope),
 * including those used by its own subgraphs. A node holding subgraphs depends
 * on these values just as on its inputs.
 */
export function outerReferences(graph: onnx.IGraphProto): Set<string> {
  const defined = new Set<string>(['']);
  for (const i of graph.input ?? []) defined.add(i.name ?? '');
  for (const t of graph.initializer ?? []) defined.add(t.name ?? '');
  for (const n of graph.node ?? []) for (const o of n.output ?? []) defined.add(o);
  const free = new Set<string>();
  for (const n of graph.node ?? []) {
    for (const name of nodeReads(n)) if (!defined.has(name)) free.add(name);
  }
  for (const o of graph.output ?? []) if (!defined.has(o.name ?? '')) free.add(o.name ?? '');
  return free;
}

/** Values a node reads: its inputs plus the outer references of its subgraphs. */
export function nodeReads(node: onnx.INodeProto): string[] {
  const reads = (node.input ?? []).filter((n) => n !== '');
  for (const sub of subgraphsOf(node)) for (const name of outerReferences(sub.graph)) if (!reads.includes(name)) reads.push(name);
  return reads;
}
