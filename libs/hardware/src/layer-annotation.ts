import type { onnx } from '@edgefit/onnx';

/**
 * Simulated low-bit layers (fake-quantized in float, as QAT and search
 * candidates produce them) say how they are meant to be deployed in the
 * node's doc_string: `{"edgefit":{"wBits":2,"aBits":8}}`. The cost model
 * then computes the layer as an integer w×a layer with weights packed at
 * wBits — the precision the deployed device would really run.
 */
export interface LayerBits {
  wBits: number;
  aBits: number;
}

function validBits(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 32;
}

/** The annotation of a node, or null when it has none (or a malformed one). */
export function readLayerBits(node: onnx.INodeProto): LayerBits | null {
  const doc = node.docString;
  if (!doc || !doc.includes('"edgefit"')) return null;
  try {
    const parsed = JSON.parse(doc) as { edgefit?: { wBits?: unknown; aBits?: unknown } };
    const e = parsed.edgefit;
    if (!e || !validBits(e.wBits) || !validBits(e.aBits)) return null;
    return { wBits: e.wBits, aBits: e.aBits };
  } catch {
    return null;
  }
}

/** Annotate a node (keeps other keys of an existing JSON doc_string). */
export function writeLayerBits(node: onnx.INodeProto, bits: LayerBits): void {
  let doc: Record<string, unknown> = {};
  try {
    if (node.docString) doc = JSON.parse(node.docString) as Record<string, unknown>;
  } catch {
    doc = { text: node.docString };
  }
  node.docString = JSON.stringify({ ...doc, edgefit: { wBits: bits.wBits, aBits: bits.aBits } });
}
