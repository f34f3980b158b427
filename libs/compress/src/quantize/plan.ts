import type { LayerInfo } from './layers.js';
import type { QParams } from './numerics.js';
import type { QuantizedWeight, WeightRange } from './weight-quant.js';

/** Operator forms a user can ask for. */
export type Form = 'qdq' | 'qoperator' | 'dynamic' | 'matmulnbits' | 'simulated';
export const FORMS: readonly Form[] = ['qdq', 'qoperator', 'dynamic', 'matmulnbits', 'simulated'];
/** Forms emitted: also 'weight-only' (float kernels on quantized weights, float activations), which `auto` falls back to. */
export type EmitForm = Form | 'weight-only';

export type QuantMode = 'static' | 'dynamic';

/** Everything decided about one layer before an operator form is emitted. */
export interface LayerPlan {
  layer: LayerInfo;
  bits: number;
  symmetric: boolean;
  perChannel: boolean;
  weightRange: WeightRange;
  /** The weight on its per-channel / per-tensor grid (MatMulNBits re-quantizes per block). */
  weight: QuantizedWeight;
  mode: QuantMode;
  aBits: 8 | 16;
  /** Static mode: calibrated params of the layer's input and output activations. */
  act?: { input: QParams; output: QParams };
  /** MatMulNBits block size along K. */
  blockSize: number;
}
