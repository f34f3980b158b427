import { bitsPerElement, type onnx } from '@edgefit/onnx';

/**
 * The weight bit width each initializer stands for: from the quantize pass's
 * note on the node that reads it (doc_string JSON {"edgefit":{"wBits":4}}),
 * directly or through a DequantizeLinear, else from its data type. A float
 * weight that was quantized in "simulated" form keeps FLOAT storage but
 * only 2^wBits values per channel — the codec finds and uses that.
 */
export function wBitsOf(node: onnx.INodeProto): number | undefined {
  if (!node.docString) return undefined;
  try {
    const bits = JSON.parse(node.docString)?.edgefit?.wBits;
    return Number.isInteger(bits) && bits > 0 && bits <= 32 ? bits : undefined;
  } catch {
    return undefined;
  }
}

export function declaredBits(model: onnx.IModelProto): Map<string, number> {
  const graph = model.graph!;
  const out = new Map<string, number>();
  const inits = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const producer = new Map<string, onnx.INodeProto>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  for (const node of graph.node ?? []) {
    const bits = wBitsOf(node);
    if (bits === undefined) continue;
    for (const input of node.input ?? []) {
      const dq = producer.get(input);
      const source = dq?.opType === 'DequantizeLinear' ? dq.input?.[0] ?? '' : input;
      if (inits.has(source) && !out.has(source)) out.set(source, bits);
    }
  }
  for (const t of graph.initializer ?? []) if (!out.has(t.name ?? '')) out.set(t.name ?? '', bitsPerElement(t.dataType ?? 0));
  return out;
}
