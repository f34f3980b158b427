import { EdgefitError, InvalidModelError } from '@edgefit/core';
import { onnx } from './proto.js';
import { graphLabel, nodeLabel, nodeReads } from './walk.js';
import { renameInGraph, renameReads, topologicalOrder } from './graph-order.js';

/** A misuse of the graph-editing API by a compression pass (a bug, not bad user input). */
export class GraphEditError extends EdgefitError {
  constructor(message: string) {
    super('GRAPH_EDIT', message);
  }
}

type NodeRef = onnx.INodeProto | string;

/**
 * A mutable view over one GraphProto for compression passes: lookups by
 * value and node name, and edits that keep the graph valid ONNX (names
 * unique, every input defined, nodes in topological order). Indexes are
 * rebuilt lazily after each edit, so lookups always see the current graph.
 * Values read by subgraphs (If/Loop bodies) count as reads of the node holding them.
 */
export class GraphView {
  private index?: { producers: Map<string, onnx.INodeProto>; consumers: Map<string, onnx.INodeProto[]>; inits: Map<string, onnx.ITensorProto> };

  constructor(readonly graph: onnx.IGraphProto, private readonly outerScope: Iterable<string> = []) {
    graph.node ??= [];
    graph.initializer ??= [];
    graph.input ??= [];
    graph.output ??= [];
  }

  get nodes(): onnx.INodeProto[] {
    return this.graph.node!;
  }

  private get idx() {
    if (this.index) return this.index;
    const producers = new Map<string, onnx.INodeProto>();
    const consumers = new Map<string, onnx.INodeProto[]>();
    for (const n of this.nodes) {
      for (const o of n.output ?? []) if (o) producers.set(o, n);
      for (const i of nodeReads(n)) consumers.set(i, [...(consumers.get(i) ?? []), n]);
    }
    const inits = new Map(this.graph.initializer!.map((t) => [t.name ?? '', t] as const));
    return (this.index = { producers, consumers, inits });
  }

  private changed(): void {
    this.index = undefined;
  }

  producer(value: string): onnx.INodeProto | undefined {
    return this.idx.producers.get(value);
  }

  /** Nodes reading the value, directly or from inside their subgraphs. */
  consumers(value: string): onnx.INodeProto[] {
    return this.idx.consumers.get(value) ?? [];
  }

  initializer(name: string): onnx.ITensorProto | undefined {
    return this.idx.inits.get(name);
  }

  nodeByName(name: string): onnx.INodeProto | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  isGraphInput(value: string): boolean {
    return this.graph.input!.some((v) => v.name === value);
  }

  isGraphOutput(value: string): boolean {
    return this.graph.output!.some((v) => v.name === value);
  }

  /** True if the value is an initializer or the output of a Constant node. */
  isConstant(value: string): boolean {
    return this.idx.inits.has(value) || this.producer(value)?.opType === 'Constant';
  }

  private position(ref: NodeRef): number {
    const i = typeof ref === 'string' ? this.nodes.findIndex((n) => n.name === ref) : this.nodes.indexOf(ref);
    if (i < 0) throw new GraphEditError(`${typeof ref === 'string' ? `node '${ref}'` : nodeLabel(ref)} is not in ${graphLabel(this.graph)}`);
    return i;
  }

  private assertNewOutputs(nodes: onnx.INodeProto[], replacing: onnx.INodeProto[] = []): void {
    for (const n of nodes) {
      for (const o of n.output ?? []) {
        const p = this.producer(o);
        if (o && ((p && !replacing.includes(p)) || this.idx.inits.has(o) || this.isGraphInput(o))) {
          throw new GraphEditError(`${nodeLabel(n)} would define '${o}', which ${graphLabel(this.graph)} already defines`);
        }
      }
    }
  }

  /** Put `replacements` where `target` was; order is restored by toposort(). */
  replaceNode(target: NodeRef, ...replacements: onnx.INodeProto[]): void {
    const i = this.position(target);
    this.assertNewOutputs(replacements, [this.nodes[i]!]);
    this.nodes.splice(i, 1, ...replacements);
    this.changed();
  }

  insertNodeAfter(anchor: NodeRef, ...nodes: onnx.INodeProto[]): void {
    const i = this.position(anchor);
    this.assertNewOutputs(nodes);
    this.nodes.splice(i + 1, 0, ...nodes);
    this.changed();
  }

  insertNodeBefore(anchor: NodeRef, ...nodes: onnx.INodeProto[]): void {
    const i = this.position(anchor);
    this.assertNewOutputs(nodes);
    this.nodes.splice(i, 0, ...nodes);
    this.changed();
  }

  /**
   * Remove a node. A node nobody reads just goes. Otherwise it must have
   * exactly one data input (not an initializer or Constant) and one used
   * output; readers of that output are rewired to the data input. Initializers
   * only the removed node used are dropped.
   */
  removeNode(target: NodeRef): void {
    const node = this.nodes[this.position(target)]!;
    const used = (node.output ?? []).filter((o) => o && (this.consumers(o).length > 0 || this.isGraphOutput(o)));
    const oldInputs = (node.input ?? []).filter((i) => i);
    if (used.length > 0) {
      const data = oldInputs.filter((i) => !this.isConstant(i));
      if (used.length !== 1 || data.length !== 1) {
        throw new GraphEditError(`cannot remove ${nodeLabel(node)}: it has ${data.length} data inputs and ${used.length} used outputs; only a node with one of each can be bypassed`);
      }
      this.bypass(node, data[0]!, used[0]!);
    }
    const i = this.nodes.indexOf(node);
    if (i >= 0) this.nodes.splice(i, 1);
    this.changed();
    for (const name of oldInputs) if (this.idx.inits.has(name) && this.consumers(name).length === 0 && !this.isGraphOutput(name)) this.removeInitializer(name);
  }

  private bypass(node: onnx.INodeProto, input: string, output: string): void {
    if (!this.isGraphOutput(output)) return this.replaceUses(output, input);
    // The output is part of the model's interface: keep its name, give it to the input's producer.
    if (this.isGraphInput(input) || this.isGraphOutput(input) || !this.producer(input)) {
      throw new GraphEditError(`cannot remove ${nodeLabel(node)}: graph output '${output}' would have to become '${input}', which is not produced by a node of ${graphLabel(this.graph)}`);
    }
    this.nodes.splice(this.nodes.indexOf(node), 1);
    this.changed();
    this.renameValue(input, output);
  }

  /**
   * Make readers of `value` read `replacement` instead (except the listed
   * nodes, e.g. the one producing `replacement` from `value`). Graph outputs keep their names.
   */
  replaceUses(value: string, replacement: string, except: onnx.INodeProto[] = []): void {
    for (const reader of this.consumers(value)) if (!except.includes(reader)) renameReads(reader, value, replacement);
    this.changed();
  }

  /** Rename a value everywhere in this graph and in subgraphs that read it. */
  renameValue(from: string, to: string): void {
    if (from === to) return;
    if (this.producer(to) || this.idx.inits.has(to) || this.isGraphInput(to)) {
      throw new GraphEditError(`cannot rename '${from}' to '${to}': ${graphLabel(this.graph)} already defines '${to}'`);
    }
    renameInGraph(this.graph, from, to, true);
    this.changed();
  }

  addInitializer(tensor: onnx.ITensorProto): void {
    const name = tensor.name ?? '';
    if (!name || this.producer(name) || this.idx.inits.has(name) || this.isGraphInput(name)) {
      throw new GraphEditError(`cannot add initializer '${name}': the name is empty or already defined in ${graphLabel(this.graph)}`);
    }
    this.graph.initializer!.push(tensor as onnx.TensorProto);
    this.changed();
  }

  /** Remove an initializer nobody reads (and its legacy graph-input entry). */
  removeInitializer(name: string): void {
    if (!this.idx.inits.has(name)) throw new GraphEditError(`initializer '${name}' is not in ${graphLabel(this.graph)}`);
    const readers = this.consumers(name);
    if (readers.length > 0) throw new GraphEditError(`cannot remove initializer '${name}': ${nodeLabel(readers[0]!)} still reads it`);
    this.graph.initializer = this.graph.initializer!.filter((t) => t.name !== name);
    this.graph.input = this.graph.input!.filter((v) => v.name !== name);
    this.changed();
  }

  /** Drop every initializer no node reads and no graph output names; returns their names. */
  removeUnusedInitializers(): string[] {
    const unused = [...this.idx.inits.keys()].filter((n) => this.consumers(n).length === 0 && !this.isGraphOutput(n));
    for (const name of unused) this.removeInitializer(name);
    return unused;
  }

  /**
   * Reorder nodes topologically, keeping the current order wherever it is
   * already valid. Cycles and inputs defined nowhere are InvalidModelErrors naming the node.
   */
  toposort(): void {
    const available = new Set<string>(['', ...this.outerScope]);
    for (const v of this.graph.input!) available.add(v.name ?? '');
    for (const t of this.graph.initializer!) available.add(t.name ?? '');
    const order = topologicalOrder(this.nodes, available, graphLabel(this.graph));
    this.graph.node = order;
    this.changed();
    for (const o of this.graph.output!) {
      if (!available.has(o.name ?? '') && !this.producer(o.name ?? '')) {
        throw new InvalidModelError(`graph output '${o.name}' of ${graphLabel(this.graph)} is produced by no node, initializer or input`);
      }
    }
  }
}
