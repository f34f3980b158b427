import type { onnx } from '../proto.js';

/** A dimension: a known size, or null when it is not known statically. */
export type Dim = number | null;

/** What inference knows about one value. */
export interface TensorInfo {
  /** ONNX element type (DataType), 0 when unknown. */
  elemType: number;
  /** Dimensions; undefined when even the rank is unknown. */
  shape?: Dim[];
  /**
   * The contents, when small and known before running the model (constants,
   * shapes and arithmetic on them): what Reshape, Slice, Expand… read.
   */
  value?: number[];
}

/** What a shape function gets to see about the node it infers. */
export interface ShapeContext {
  readonly node: onnx.INodeProto;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** `node 'name' (Op) in graph 'g'`, for messages. */
  readonly where: string;
  /** The i-th input, or undefined if absent (optional input left empty). */
  input(i: number): TensorInfo | undefined;
  readonly inputCount: number;
  /**
   * Infer a subgraph (If branch) in the current scope; returns its outputs.
   * With `tolerant`, a subgraph whose shapes are inconsistent gives undefined
   * (and leaves no node results behind) instead of throwing.
   */
  inferSubgraph(graph: onnx.IGraphProto, attribute: string, tolerant?: boolean): (TensorInfo | undefined)[] | undefined;
  /** Throw an InvalidModelError about this node. */
  fail(problem: string): never;
}

/** Infers a node's outputs in order; an undefined entry means nothing is known. */
export type ShapeFn = (ctx: ShapeContext) => (TensorInfo | undefined)[];

export interface ShapeEntry {
  op: string;
  /** Operator domain; '' is the default ONNX domain. */
  domain: string;
  infer: ShapeFn;
}

/** Entries for several ops that share one shape function. */
export function entries(ops: readonly string[], infer: ShapeFn, domain = ''): ShapeEntry[] {
  return ops.map((op) => ({ op, domain, infer }));
}
