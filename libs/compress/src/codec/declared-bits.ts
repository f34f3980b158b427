import { bitsPerElement, type onnx } from '@edgefit/onnx';
import { readMarker } from '../quantize/layer-marker.js';

/**
 * The weight bit width each initializer stands for: the quantize pass's
 * marker on a layer's node (doc_string {"edgefit":{"wBits":4,"weight":"…",…}})
 * names the one initializer that holds the layer's quantized weight; every
 * other initializer — the int32 bias of a QDQ or QLinearConv layer, scales,
 * zero points — stands for its data type's width. A float weight quantized
 * in "simulated" form keeps FLOAT storage but only 2^wBits values per
 * channel — the codec finds and uses that.
 */
export function declaredBits(model: onnx.IModelProto): Map<string, number> {
  const graph = model.graph!;
  const out = new Map<string, number>();
  const inits = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const node of graph.node ?? []) {
    const marker = readMarker(node);
    const bits = marker?.wBits;
    // A marker without a weight name (written by hand or by another tool) cannot say which input it means.
    if (!marker?.weight || !inits.has(marker.weight) || !Number.isInteger(bits) || bits! < 1 || bits! > 32) continue;
    if (!out.has(marker.weight)) out.set(marker.weight, bits!);
  }
  for (const t of graph.initializer ?? []) if (!out.has(t.name ?? '')) out.set(t.name ?? '', bitsPerElement(t.dataType ?? 0));
  return out;
}
