import { UserInputError } from '@edgefit/core';
import type { ParamSchema, ResolvedParams } from '../param-schema.js';
import type { LayerScan } from './layers.js';
import type { QuantMode } from './plan.js';
import type { RangeEstimator } from './range-estimators.js';
import type { WeightRange } from './weight-quant.js';

/** Parameters shared by `quantize` and `quantize-aware`. */
export const QUANTIZE_PARAMS = {
  bits: {
    kind: 'int', default: 8, min: 1, max: 8, choices: [1, 2, 4, 8], perLayer: true,
    description: 'weight bit width (per layer: bits.<layer>=4); 8 and 4 run integer kernels, 1, 2 (and 3, 5–7) run simulated from dequantized weights; 1 is binary (sign × mean |w| per channel)',
  },
  scheme: {
    kind: 'categorical', default: 'sym', choices: ['sym', 'asym'],
    description: 'weights: symmetric (zero point 0) or asymmetric (with a zero point); activations are always asymmetric',
  },
  granularity: { kind: 'categorical', default: 'channel', choices: ['tensor', 'channel'], description: 'one weight scale per tensor or per output channel' },
  mode: {
    kind: 'categorical', default: 'static', choices: ['static', 'dynamic'],
    description: 'static: activation ranges calibrated on training samples; dynamic: computed at run time (no data needed)',
  },
  form: {
    kind: 'categorical', default: 'auto', choices: ['auto', 'qdq', 'qoperator', 'dynamic', 'matmulnbits', 'simulated'], perLayer: true,
    description: 'operator form; auto measures the forms on the host and keeps the fastest per layer (never slower than fp32; layers no integer kernel speeds up keep float kernels on quantized weights)',
  },
  activationBits: { kind: 'int', default: 8, min: 8, max: 16, choices: [8, 16], description: 'activation bit width; 16 runs as int16 QDQ (opset 21)' },
  calibration: { kind: 'categorical', default: 'minmax', choices: ['minmax', 'percentile', 'mse'], description: 'activation range estimator (static mode)' },
  percentile: { kind: 'float', default: 99.99, min: 90, max: 100, description: 'percentile kept by calibration=percentile' },
  calibrationSamples: { kind: 'int', default: 256, min: 8, max: 10000, log: true, description: 'training samples used for calibration' },
  weightRange: {
    kind: 'categorical', default: 'auto', choices: ['auto', 'minmax', 'mse'],
    description: 'weight clipping: min–max, or MSE-optimal per channel; auto = MSE below 8 bits',
  },
  blockSize: { kind: 'int', default: 32, min: 32, max: 128, choices: [32, 128], description: 'block size along K of MatMulNBits (4-bit Gemm/MatMul)' },
  skipLayers: {
    kind: 'string', default: '',
    description: "layers (node names) to leave in float, separated by ',' or, inside a CLI pass spec (whose own separator is ','), by '+' or ';'",
  },
} satisfies ParamSchema;

export interface QuantizeSettings {
  symmetric: boolean;
  perChannel: boolean;
  mode: QuantMode;
  aBits: 8 | 16;
  calibration: RangeEstimator;
  percentile: number;
  calibrationSamples: number;
  weightRange: WeightRange | 'auto';
  blockSize: number;
  skip: Set<string>;
}

/**
 * Settings from resolved params, after checking every layer name the params
 * mention (skipLayers and per-layer overrides) against the model's layers.
 */
export function readSettings(pass: string, params: ResolvedParams, scan: LayerScan, allNodes: ReadonlySet<string>): QuantizeSettings {
  const v = params.values;
  const quantizable = new Set(scan.layers.map((l) => l.name));
  const check = (param: string, layer: string) => {
    if (quantizable.has(layer)) return;
    const rejected = scan.rejected.find((r) => r.name === layer);
    if (rejected) throw new UserInputError(`pass '${pass}': parameter '${param}' names layer '${layer}' (${rejected.op}), which cannot be quantized: ${rejected.reason}`);
    if (allNodes.has(layer)) throw new UserInputError(`pass '${pass}': parameter '${param}' names layer '${layer}', which is not a Conv, Gemm or MatMul layer`);
    throw new UserInputError(`pass '${pass}': parameter '${param}' names layer '${layer}', which the model does not have`);
  };
  const skip = new Set(String(v.skipLayers ?? '').split(/[,;+\s]+/).map((s) => s.trim()).filter(Boolean));
  for (const layer of skip) check('skipLayers', layer);
  for (const [param, layers] of Object.entries(params.perLayer)) for (const layer of Object.keys(layers)) check(`${param}.${layer}`, layer);
  return {
    symmetric: v.scheme === 'sym',
    perChannel: v.granularity === 'channel',
    mode: v.mode as QuantMode,
    aBits: v.activationBits === 16 ? 16 : 8,
    calibration: v.calibration as RangeEstimator,
    percentile: Number(v.percentile),
    calibrationSamples: Number(v.calibrationSamples),
    weightRange: v.weightRange as WeightRange | 'auto',
    blockSize: Number(v.blockSize),
    skip,
  };
}

/** Whether any layer's form is `auto`, i.e. chosen by measuring on the host. */
export function choosesFormByMeasurement(params: ResolvedParams): boolean {
  return params.values.form === 'auto' || Object.values(params.perLayer.form ?? {}).includes('auto');
}
