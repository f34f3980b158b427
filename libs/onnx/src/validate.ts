import { InvalidModelError, LimitExceededError, UnsupportedOperatorError } from '@edgefit/core';
import { int64, onnx } from './proto.js';
import { DEFAULT_LIMITS, type ModelLimits } from './limits.js';
import { KNOWN_DOMAINS, isAllowedOp, isKnownDomain } from './op-allowlist.js';
import { normalizeDomain } from './shapes/index.js';
import { checkDeclaredTensors, checkInferredTensors, checkStoredTensors } from './validate-tensors.js';
import { allGraphs, assertNoExternalData, graphLabel, nodeLabel, subgraphsOf, type GraphVisit } from './walk.js';

export interface ValidationReport {
  irVersion: number;
  /** Imported opset version by domain ('' = default ONNX domain). */
  opsets: Record<string, number>;
  /** Nodes in all graphs. */
  nodes: number;
  graphs: number;
  weightBytes: number;
}

function checkVersions(model: onnx.IModelProto, limits: ModelLimits): { ir: number; opsets: Record<string, number> } {
  const ir = int64(model.irVersion as number);
  if (ir < limits.minIrVersion || ir > limits.maxIrVersion) {
    throw new InvalidModelError(`model ir_version ${ir} is outside the supported range ${limits.minIrVersion}..${limits.maxIrVersion}; re-export it with an ONNX version in that range`);
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[normalizeDomain(o.domain)] = int64(o.version as number);
  const opset = opsets[''];
  if (opset !== undefined && (opset < limits.minOpset || opset > limits.maxOpset)) {
    throw new InvalidModelError(`model uses opset ${opset} of the default ONNX domain, outside the supported range ${limits.minOpset}..${limits.maxOpset}; convert it to an opset in that range`);
  }
  if (opset !== undefined && opset >= 21 && ir < 10) throw new InvalidModelError(`model uses opset ${opset} with ir_version ${ir}; opset 21 and later need ir_version 10`);
  return { ir, opsets };
}

/**
 * Every node's domain must be known and imported, and its op on the
 * allowlist. Domains a model merely imports but never uses are harmless
 * (exporters list many) and are not refused.
 */
function checkOperators(graphs: GraphVisit[], opsets: Record<string, number>, limits: ModelLimits): number {
  let count = 0;
  for (const { graph, path } of graphs) {
    for (const node of graph.node ?? []) {
      if (++count > limits.maxNodes) throw new LimitExceededError(`model has more than ${limits.maxNodes} nodes (maxNodes)`);
      const op = node.opType ?? '';
      const where = `in ${nodeLabel(node)} of ${path}`;
      if (!isKnownDomain(node.domain)) throw new UnsupportedOperatorError(op, `(domain '${node.domain}') ${where}: only domains ${KNOWN_DOMAINS.map((d) => `'${d}'`).join(', ')} are supported`);
      if (opsets[normalizeDomain(node.domain)] === undefined) throw new InvalidModelError(`${nodeLabel(node)} of ${path} uses domain '${normalizeDomain(node.domain)}', which the model does not import in opset_import`);
      if (!isAllowedOp(op, node.domain)) throw new UnsupportedOperatorError(op, `${where}: it is not on edgefit's operator allowlist`);
    }
  }
  return count;
}

/** Every node input is defined before it (in its graph or an enclosing one); every graph output is defined. */
function checkWiring(graph: onnx.IGraphProto, outer: ReadonlySet<string>, path: string, isRoot: boolean): void {
  const defined = new Set<string>(outer);
  const define = (name: string, what: string) => {
    if (!name) return;
    if (defined.has(name) && !outer.has(name)) throw new InvalidModelError(`${what} in ${path} defines '${name}' a second time; value names must be unique`);
    defined.add(name);
  };
  for (const vi of graph.input ?? []) {
    if (isRoot && !vi.type?.tensorType) throw new InvalidModelError(`graph input '${vi.name}' of ${path} is not a tensor (sequences, maps and optionals are not supported)`);
    define(vi.name ?? '', 'graph input');
  }
  for (const t of graph.initializer ?? []) if (!defined.has(t.name ?? '')) define(t.name ?? '', 'initializer');
  for (const node of graph.node ?? []) {
    for (const name of node.input ?? []) {
      if (name && !defined.has(name)) throw new InvalidModelError(`${nodeLabel(node)} in ${path} reads '${name}', which is not a graph input, initializer or output of an earlier node`);
    }
    for (const sub of subgraphsOf(node)) checkWiring(sub.graph, defined, `${path} > ${nodeLabel(node)}.${sub.attribute}`, false);
    for (const o of node.output ?? []) define(o, nodeLabel(node));
  }
  for (const o of graph.output ?? []) {
    if (!defined.has(o.name ?? '')) throw new InvalidModelError(`graph output '${o.name}' of ${path} is not produced by any node, initializer or input`);
  }
}

/**
 * Everything edgefit checks before onnxruntime ever sees a model: versions,
 * domains and the operator allowlist, external data (refused, never opened),
 * wiring, and size caps on declared, stored and inferred tensors
 * (allocation bombs). Throws an EdgefitError subclass naming the problem.
 */
export function validateModel(model: onnx.IModelProto, limits: Partial<ModelLimits> = {}, options: { batch?: number } = {}): ValidationReport {
  const l: ModelLimits = { ...DEFAULT_LIMITS, ...limits };
  if (!model.graph) throw new InvalidModelError('model has no graph');
  const { ir, opsets } = checkVersions(model, l);
  const graphs = allGraphs(model);
  assertNoExternalData(model);
  const nodes = checkOperators(graphs, opsets, l);
  checkWiring(model.graph, new Set(['']), graphLabel(model.graph), true);
  checkDeclaredTensors(graphs, l);
  const weightBytes = checkStoredTensors(model, l);
  checkInferredTensors(model, l, options.batch ?? 1);
  return { irVersion: ir, opsets, nodes, graphs: graphs.length, weightBytes };
}
