import { InvalidModelError, UnsupportedOperatorError } from '@edgefit/core';
import { int64, onnx } from './proto.js';
import { graphLabel, nodeLabel, walkGraphs } from './walk.js';
import { normalizeDomain, shapeRegistry, type InferredDim as Dim, type ShapeContext, type ShapeRegistry, type TensorInfo } from './shapes/index.js';
import { infoOfTensor, infoOfValueInfo } from './shapes/tensor-info.js';

export interface ShapeOptions {
  /** Size given to symbolic batch dims: a graph input's first dim, or any dim named like 'batch'. Default 1. */
  batch?: number;
  /** Unknown ops throw UnsupportedOperatorError (default); with false they are recorded and their outputs left unknown. */
  strict?: boolean;
  /** Sizes for other named symbolic dims, e.g. { sequence: 512 }. */
  dims?: Record<string, number>;
  /** Full shapes for graph inputs, overriding what the model declares. */
  inputShapes?: Record<string, readonly number[]>;
  registry?: ShapeRegistry;
}

export interface NodeShapes {
  node: onnx.INodeProto;
  /** Location of the node's graph, e.g. `graph 'main' > node 'If_0' (If).then_branch`. */
  graphPath: string;
  inputs: (TensorInfo | undefined)[];
  outputs: TensorInfo[];
  /** False when the op had no shape function (lenient mode). */
  inferred: boolean;
}

export interface ShapeResult {
  /** Every value of every graph by name (subgraph values included; a shadowing name keeps the last). */
  values: Map<string, TensorInfo>;
  /** Values of the main graph only: inputs, initializers and node outputs. */
  main: Map<string, TensorInfo>;
  /** Per node, including nodes inside subgraphs. */
  nodes: Map<onnx.INodeProto, NodeShapes>;
  /** Ops without a shape function (only in lenient mode; strict mode throws). */
  unknownOps: { op: string; domain: string; node: string; where: string }[];
}

/** Names visible in a graph: its own values, then the enclosing graphs'. */
class Scope {
  readonly own = new Map<string, TensorInfo>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): TensorInfo | undefined {
    return this.own.get(name) ?? this.parent?.get(name);
  }
  set(name: string, info: TensorInfo): void {
    this.own.set(name, info);
  }
}

/** Static shapes and element types of every value of the model. */
export function inferShapes(model: onnx.IModelProto, options: ShapeOptions = {}): ShapeResult {
  if (!model.graph) throw new InvalidModelError('model has no graph');
  const opts = { batch: 1, strict: true, dims: {}, inputShapes: {}, registry: shapeRegistry, ...options };
  const opsets = new Map<string, number>();
  for (const o of model.opsetImport ?? []) opsets.set(normalizeDomain(o.domain), int64(o.version as number));
  const rootScope = new Scope();
  const result: ShapeResult = { values: new Map(), main: rootScope.own, nodes: new Map(), unknownOps: [] };
  const named: Record<string, number> = { ...opts.dims };
  const resolve = (param: string, index: number): Dim => {
    if (param && named[param] !== undefined) return named[param]!;
    if (/batch/i.test(param) || index === 0) {
      if (param) named[param] = opts.batch;
      return opts.batch;
    }
    return null;
  };

  const inferGraph = (graph: onnx.IGraphProto, scope: Scope, path: string): void => {
    const define = (name: string, info: TensorInfo) => {
      scope.set(name, info);
      result.values.set(name, info);
    };
    for (const vi of graph.input ?? []) {
      const given = opts.inputShapes[vi.name ?? ''];
      const declared = infoOfValueInfo(vi, scope === rootScope ? resolve : () => null);
      define(vi.name ?? '', given ? { elemType: declared.elemType, shape: [...given] } : declared);
    }
    for (const t of graph.initializer ?? []) define(t.name ?? '', infoOfTensor(t, `(initializer in ${path})`));
    for (const node of graph.node ?? []) {
      const where = `${nodeLabel(node)} in ${path}`;
      const inputs = (node.input ?? []).map((name) => {
        if (!name) return undefined;
        const info = scope.get(name);
        if (!info) throw new InvalidModelError(`${where} reads '${name}', which nothing defines before it; the graph is not topologically sorted or the value is missing`);
        return info;
      });
      const domain = normalizeDomain(node.domain);
      const fn = opts.registry.get(node.opType ?? '', domain);
      let outputs: (TensorInfo | undefined)[] = [];
      if (fn) {
        const ctx: ShapeContext = {
          node,
          opset: opsets.get(domain) ?? 1,
          where,
          inputCount: inputs.length,
          input: (i) => inputs[i],
          inferSubgraph: (g, attribute, tolerant = false) => {
            try {
              inferGraph(g, new Scope(scope), `${path} > ${nodeLabel(node)}.${attribute}`);
            } catch (err) {
              if (!tolerant || !(err instanceof InvalidModelError)) throw err;
              walkGraphs(g, (v) => v.graph.node?.forEach((n) => result.nodes.delete(n)));
              return undefined;
            }
            return (g.output ?? []).map((o) => result.values.get(o.name ?? ''));
          },
          fail: (problem) => {
            throw new InvalidModelError(`${where}: ${problem}`);
          },
        };
        outputs = fn(ctx);
      } else if (opts.strict) {
        throw new UnsupportedOperatorError(node.opType ?? '', `${domain ? `(domain '${domain}') ` : ''}in ${where}: edgefit cannot infer its shapes; analyze with strict: false to skip it`);
      } else {
        result.unknownOps.push({ op: node.opType ?? '', domain, node: node.name ?? '', where });
      }
      const outs = (node.output ?? []).map((_, i) => outputs[i] ?? { elemType: 0 });
      (node.output ?? []).forEach((name, i) => name && define(name, outs[i]!));
      result.nodes.set(node, { node, graphPath: path, inputs, outputs: outs, inferred: !!fn });
    }
  };
  inferGraph(model.graph, rootScope, graphLabel(model.graph));
  return result;
}
