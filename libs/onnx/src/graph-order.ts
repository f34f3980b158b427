import { InvalidModelError } from '@edgefit/core';
import { onnx } from './proto.js';
import { nodeLabel, nodeReads, subgraphsOf } from './walk.js';

function definesLocally(graph: onnx.IGraphProto, name: string): boolean {
  return (
    (graph.input ?? []).some((v) => v.name === name) ||
    (graph.initializer ?? []).some((t) => t.name === name) ||
    (graph.node ?? []).some((n) => (n.output ?? []).includes(name))
  );
}

/** Rename what one node reads: its inputs and the outer references of its subgraphs. */
export function renameReads(node: onnx.INodeProto, from: string, to: string): void {
  node.input = (node.input ?? []).map((i) => (i === from ? to : i));
  for (const sub of subgraphsOf(node)) renameInGraph(sub.graph, from, to, false);
}

/**
 * Rename a value in a graph. In the root graph definitions are renamed too;
 * in a subgraph only reads are, and a subgraph that defines the same name
 * shadows it, so the walk stops there.
 */
export function renameInGraph(graph: onnx.IGraphProto, from: string, to: string, isRoot: boolean): void {
  if (!isRoot && definesLocally(graph, from)) return;
  const rename = (v: { name?: string | null }) => {
    if (v.name === from) v.name = to;
  };
  if (isRoot) {
    (graph.input ?? []).forEach(rename);
    (graph.initializer ?? []).forEach(rename);
    for (const n of graph.node ?? []) n.output = (n.output ?? []).map((o) => (o === from ? to : o));
  }
  (graph.output ?? []).forEach(rename);
  (graph.valueInfo ?? []).forEach(rename);
  for (const n of graph.node ?? []) renameReads(n, from, to);
}

/**
 * Kahn's algorithm that always emits the earliest-listed ready node, so an
 * already sorted graph keeps its order exactly. `available` holds graph
 * inputs, initializers and outer-scope names; it is extended with every output.
 */
export function topologicalOrder(nodes: onnx.INodeProto[], available: Set<string>, where: string): onnx.INodeProto[] {
  const producerIndex = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) {
      if (!o) continue;
      if (producerIndex.has(o) || available.has(o)) throw new InvalidModelError(`${nodeLabel(n)} in ${where} defines '${o}', which is already defined; names must be unique`);
      producerIndex.set(o, i);
    }
  });
  const waiting = nodes.map(() => 0);
  const dependents = nodes.map(() => [] as number[]);
  nodes.forEach((n, i) => {
    for (const name of new Set(nodeReads(n))) {
      if (available.has(name)) continue;
      const p = producerIndex.get(name);
      if (p === undefined) throw new InvalidModelError(`${nodeLabel(n)} in ${where} reads '${name}', which no node, initializer or graph input defines`);
      waiting[i]!++;
      dependents[p]!.push(i);
    }
  });
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  const order: onnx.INodeProto[] = [];
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(nodes[i]!);
    for (const o of nodes[i]!.output ?? []) available.add(o);
    for (const d of dependents[i]!) {
      if (--waiting[d]! === 0) ready.splice(lowerBound(ready, d), 0, d);
    }
  }
  if (order.length < nodes.length) {
    throw new InvalidModelError(`${nodeLabel(nodes[nodeOnCycle(nodes, waiting, producerIndex)]!)} in ${where} is part of a cycle: its inputs depend on its own outputs`);
  }
  return order;
}

/** Walk back from any stuck node through stuck producers until a node repeats: that node is on a cycle. */
function nodeOnCycle(nodes: onnx.INodeProto[], waiting: number[], producerIndex: Map<string, number>): number {
  let i = waiting.findIndex((w) => w > 0);
  const seen = new Set<number>();
  while (!seen.has(i)) {
    seen.add(i);
    const next = nodeReads(nodes[i]!).map((n) => producerIndex.get(n)).find((p) => p !== undefined && waiting[p]! > 0);
    if (next === undefined) break;
    i = next;
  }
  return i;
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
