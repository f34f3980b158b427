import { bitsPerElement, onnx } from './proto.js';
import { numel, type TensorInfo } from './shapes/index.js';
import { nodeReads } from './walk.js';

/** Bytes of a value at its element type; 0 when its shape is not known. */
export function activationBytes(info: TensorInfo | undefined): number {
  const n = numel(info?.shape);
  return n === null ? 0 : Math.ceil((n * bitsPerElement(info!.elemType)) / 8);
}

/**
 * Peak bytes of live activations while running the graph's nodes in order.
 * A value is live from its producer (graph inputs: from the start) until its
 * last reader; graph outputs stay live to the end. Weights (initializers and
 * Constant outputs) are not activations and never count.
 */
export function peakActivationBytes(graph: onnx.IGraphProto, values: ReadonlyMap<string, TensorInfo>): number {
  const nodes = graph.node ?? [];
  const weights = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const n of nodes) if (n.opType === 'Constant') for (const o of n.output ?? []) weights.add(o);
  const lastRead = new Map<string, number>();
  nodes.forEach((n, i) => nodeReads(n).forEach((name) => lastRead.set(name, i)));
  for (const o of graph.output ?? []) lastRead.set(o.name ?? '', Infinity);

  const live = new Map<string, number>();
  let current = 0;
  const allocate = (name: string) => {
    if (!name || weights.has(name) || live.has(name)) return;
    const bytes = activationBytes(values.get(name));
    live.set(name, bytes);
    current += bytes;
  };
  const releaseAfter = (step: number) => {
    for (const [name, bytes] of live) {
      if ((lastRead.get(name) ?? -1) <= step) {
        live.delete(name);
        current -= bytes;
      }
    }
  };
  for (const vi of graph.input ?? []) allocate(vi.name ?? '');
  let peak = current;
  releaseAfter(-1);
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) allocate(o);
    peak = Math.max(peak, current);
    releaseAfter(i);
  });
  return peak;
}
