import type { onnx } from '@edgefit/onnx';
import { fit } from './fit.js';
import type { FitData, FitOptions, FitResult } from './fit-types.js';

/** Defaults for recovering accuracy after compression: a short run at a low rate, no warm-up. */
export const FINE_TUNE_DEFAULTS: FitOptions = {
  epochs: 3,
  learningRate: 2e-4,
  warmupEpochs: 0,
  finalLrFraction: 0.1,
};

/** `fit` with fine-tuning defaults; any option given overrides them. */
export function fineTune(model: onnx.IModelProto, data: FitData, options: FitOptions = {}): Promise<FitResult> {
  return fit(model, data, { ...FINE_TUNE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) });
}
