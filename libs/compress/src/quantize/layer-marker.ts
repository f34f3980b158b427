import type { onnx } from '@edgefit/onnx';

/**
 * What a quantized layer records in its compute node's doc_string, as
 * `{"edgefit":{"wBits":4,"aBits":8,"form":"qdq",…}}`, so that the cost model
 * (libs/hardware) and the packed-size codec know the precision a layer stands
 * for even when it executes from dequantized float weights.
 */
export interface LayerMarker {
  wBits: number;
  /** Activation bits; 32 when activations stay float (weight-only forms). */
  aBits: number;
  /** Operator form: qdq, qoperator, dynamic, matmulnbits or simulated. */
  form: string;
  scheme?: 'sym' | 'asym';
  granularity?: 'tensor' | 'channel' | 'block';
  /** Channel axis of the weight when granularity is channel. */
  axis?: number;
  blockSize?: number;
  /** Initializer holding the layer's weight (integers, or dequantized floats when simulated). */
  weight?: string;
}

export function writeMarker(node: onnx.INodeProto, marker: LayerMarker): void {
  node.docString = JSON.stringify({ edgefit: marker });
}

export function readMarker(node: onnx.INodeProto): LayerMarker | undefined {
  if (!node.docString) return undefined;
  try {
    const parsed = JSON.parse(node.docString) as { edgefit?: LayerMarker };
    return parsed?.edgefit && typeof parsed.edgefit.wBits === 'number' ? parsed.edgefit : undefined;
  } catch {
    return undefined;
  }
}
