import { decodeModel, encodeModel } from '@edgefit/onnx';
import type { LatencyProbe, Pass, PassContext } from '../pass.js';
import { assignForms } from './assign-forms.js';
import { buildPlans } from './build-plans.js';
import { emitModel } from './emit.js';
import { inProcessProbe, type ProbeOptions } from './latency-probe.js';
import { QUANTIZE_PARAMS, choosesFormByMeasurement } from './params.js';
import { quantizeReport } from './report.js';

export interface QuantizeOptions {
  /** How `auto` measures; default: ctx.measureLatency, else in-process onnxruntime with `probeOptions`. */
  probe?: LatencyProbe;
  /** Batch and threads the in-process probe measures at (default batch 1, 1 thread). */
  probeOptions?: ProbeOptions;
}

/** The probe a pass run measures with. */
export function probeFor(ctx: PassContext, o: QuantizeOptions): () => LatencyProbe {
  return () => o.probe ?? ctx.measureLatency ?? inProcessProbe(o.probeOptions);
}

/** Post-training quantization; `createQuantizePass(options)` sets how `auto` measures. */
export function createQuantizePass(options: QuantizeOptions = {}): Pass {
  return {
    name: 'quantize',
    description: 'post-training quantization of Conv/Gemm/MatMul weights (1–8 bits) and activations (8/16 bits), static or dynamic, in the operator form that runs fastest',
    params: QUANTIZE_PARAMS,
    measures: choosesFormByMeasurement,
    async apply(input, params, ctx) {
      const model = decodeModel(encodeModel(input));
      const planned = await buildPlans('quantize', model, params, ctx);
      const choice = await assignForms('quantize', model, planned.plans, params, probeFor(ctx, options), ctx.log);
      const { model: out, layers } = emitModel(model, planned.plans, choice.assignment);
      return { model: out, report: quantizeReport('quantize', params, layers, [...planned.notes, ...choice.notes], choice.auto) };
    },
  };
}

export const quantizePass: Pass = createQuantizePass();
