export {
  INT_RANGES as QUANT_INT_RANGES, bitRange, dequantizeTensor, dequantizeValue, qparamsFromRanges, quantizeTensor, quantizeValue,
  roundHalfEven, scaleZeroPoint, toUnsigned, type IntRange, type QParams,
} from './numerics.js';
export { RANGE_ESTIMATORS, estimateRange, mseRange, percentileRange, type RangeEstimator, type RangeOptions, type TensorStats } from './range-estimators.js';
export { binarize } from './binary.js';
export { quantizeWeight, requantizeWeight, type QuantizedWeight, type WeightQuantOptions, type WeightRange } from './weight-quant.js';
export { findLayers, layerName, matmulDims, type LayerInfo, type LayerOp, type LayerScan } from './layers.js';
export { readMarker, writeMarker, type LayerMarker } from './layer-marker.js';
export { calibrate } from './calibration.js';
export { blockQuantize, EMITTERS, KERNEL_FORMS, type BlockQuantized, type FormEmitter } from './forms/index.js';
export { emitModel, formBlocker, type Assignment, type EmittedLayer } from './emit.js';
export { chooseForms, type AutoDecision } from './auto-form.js';
export { inProcessProbe, type ProbeOptions } from './latency-probe.js';
export { QUANTIZE_PARAMS, type QuantizeSettings } from './params.js';
export type { EmitForm, Form, LayerPlan, QuantMode } from './plan.js';
export type { QuantizeReport } from './report.js';
export { createQuantizePass, quantizePass, type QuantizeOptions } from './quantize-pass.js';
export { clipGrid, copyTrainedWeights, insertFakeQuant } from './fake-quant.js';
export { QAT_PARAMS, createQuantizeAwarePass, quantizeAwarePass } from './qat-pass.js';
