import { InvalidModelError, UnsupportedOperatorError } from '@edgefit/core';
import { int64, type onnx } from '@edgefit/onnx';
import '../ops/all-ops.js';
import { findOp, supportedOps } from '../ops/op-registry.js';
import type { CompileContext, Kernel } from '../ops/op-types.js';
import { nodeLabel } from './node-label.js';

/** One node ready to run. */
export interface Step {
  readonly kernel: Kernel;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface CompiledGraph {
  steps: Step[];
  /** Initializers and folded Constant outputs. */
  constants: Map<string, onnx.ITensorProto>;
  /** Value name → index of the step producing it. */
  producer: Map<string, number>;
}

function defaultOpset(model: onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64(entry.version as number) : 1;
}

function isDefaultDomain(node: onnx.INodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx';
}

/** Every node must be in the op table: refuse the model up front, naming all the ops that are missing. */
function assertAllSupported(nodes: readonly onnx.INodeProto[]): void {
  const missing = nodes.filter((n) => !isDefaultDomain(n) || !findOp(n.opType ?? ''));
  if (missing.length === 0) return;
  const first = missing[0]!;
  const opName = (n: onnx.INodeProto) => (isDefaultDomain(n) ? n.opType ?? '?' : `${n.domain}.${n.opType}`);
  const others = [...new Set(missing.slice(1).map(opName))].filter((o) => o !== opName(first));
  throw new UnsupportedOperatorError(
    opName(first),
    `in ${nodeLabel(first)}${others.length ? ` (also unsupported: ${others.join(', ')})` : ''}; the training executor supports ${supportedOps().join(', ')}`,
  );
}

/**
 * Compile every node of the graph through the op table, folding Constant
 * nodes, in graph order (which ONNX requires to be topological).
 */
export function compileGraph(model: onnx.IModelProto): CompiledGraph {
  const graph = model.graph;
  if (!graph) throw new InvalidModelError('model has no graph');
  const nodes = graph.node ?? [];
  assertAllSupported(nodes);
  const opset = defaultOpset(model);
  const constants = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  const available = new Set<string>([...(graph.input ?? []).map((v) => v.name ?? ''), ...constants.keys()]);
  const steps: Step[] = [];
  const producer = new Map<string, number>();
  for (const node of nodes) {
    const where = nodeLabel(node);
    for (const i of node.input ?? []) {
      if (i && !available.has(i)) throw new InvalidModelError(`${where} reads '${i}', which no earlier node, input or initializer defines (the graph must be topologically sorted)`);
    }
    const def = findOp(node.opType ?? '')!;
    const ctx: CompileContext = { opset, where, constant: (name) => constants.get(name) };
    const outputs = (node.output ?? []).map((o) => o ?? '');
    outputs.forEach((o) => o && available.add(o));
    const folded = def.fold?.(node, ctx);
    if (folded) {
      constants.set(outputs[0]!, folded);
      continue;
    }
    outputs.forEach((o) => o && producer.set(o, steps.length));
    steps.push({ kernel: def.compile(node, ctx), inputs: (node.input ?? []).map((i) => i ?? ''), outputs });
  }
  return { steps, constants, producer };
}
