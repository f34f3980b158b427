import { UserInputError } from '@edgefit/core';
import { decodeModel, encodeModel, tensorToFloat32, type onnx } from '@edgefit/onnx';
import type { ParamSchema } from '../param-schema.js';
import type { Pass, PassContext } from '../pass.js';
import { assignForms } from './assign-forms.js';
import { buildPlans, replan } from './build-plans.js';
import { emitModel } from './emit.js';
import { copyTrainedWeights, insertFakeQuant } from './fake-quant.js';
import { QUANTIZE_PARAMS, choosesFormByMeasurement } from './params.js';
import type { LayerPlan } from './plan.js';
import { probeFor, type QuantizeOptions } from './quantize-pass.js';
import { quantizeReport } from './report.js';

export const QAT_PARAMS = {
  ...QUANTIZE_PARAMS,
  bits: { ...QUANTIZE_PARAMS.bits, min: 2, choices: [2, 4, 8], description: 'weight bit width trained for (per layer: bits.<layer>=4); 2–8 (binary weights are post-training only)' },
  epochs: { kind: 'int', default: 2, min: 1, max: 100, description: 'fine-tuning epochs through the fake-quantized graph' },
  learningRate: { kind: 'float', default: 1e-4, min: 1e-6, max: 1e-2, log: true, description: 'peak learning rate of the fine-tuning' },
  maxSteps: { kind: 'int', default: 0, min: 0, max: 1_000_000, description: 'stop after this many optimizer steps (0: no limit)' },
} satisfies ParamSchema;

/** Fraction of exact zeros above which a weight counts as pruned: its zeros are kept by a mask while training. */
const PRUNED_ZEROS = 0.01;

function pruningMasks(model: onnx.IModelProto, plans: readonly LayerPlan[]): Map<string, Float32Array> {
  const masks = new Map<string, Float32Array>();
  for (const p of plans) {
    const init = model.graph!.initializer!.find((t) => t.name === p.layer.weightName)!;
    const w = tensorToFloat32(init);
    const zeros = w.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
    if (zeros > PRUNED_ZEROS * w.length) masks.set(p.layer.weightName, w.map((v) => (v === 0 ? 0 : 1)));
  }
  return masks;
}

/**
 * Quantization-aware training: plan the quantization as post-training
 * quantization would (weight grids, calibrated activation ranges), train the
 * graph with fake quantization on its weights and activations through the
 * differentiable executor (straight-through gradients), then quantize the
 * trained weights on the same grids and emit the chosen operator forms.
 */
export function createQuantizeAwarePass(options: QuantizeOptions = {}): Pass {
  return {
    name: 'quantize-aware',
    description: 'quantization-aware training: fine-tune through Q/DQ fake quantization (straight-through estimator), then emit quantized operator forms',
    params: QAT_PARAMS,
    measures: choosesFormByMeasurement,
    async apply(input, params, ctx: PassContext) {
      if (!ctx.fineTune) throw new UserInputError("pass 'quantize-aware' trains the model: give a dataset to fine-tune on");
      const model = decodeModel(encodeModel(input));
      const planned = await buildPlans('quantize-aware', model, params, ctx);
      const fake = insertFakeQuant('quantize-aware', model, planned.plans);
      const v = params.values;
      const masks = pruningMasks(model, planned.plans);
      ctx.log(`quantize-aware: fine-tuning ${planned.plans.length} fake-quantized layers for ${v.epochs} epoch(s)`);
      const trained = await ctx.fineTune(fake, {
        epochs: Number(v.epochs),
        learningRate: Number(v.learningRate),
        ...(Number(v.maxSteps) > 0 ? { maxSteps: Number(v.maxSteps) } : {}),
        ...(masks.size ? { masks } : {}),
      });
      const retrained = copyTrainedWeights(model, trained);
      const plans = replan(retrained, planned.plans);
      const choice = await assignForms('quantize-aware', retrained, plans, params, probeFor(ctx, options), ctx.log);
      const { model: out, layers } = emitModel(retrained, plans, choice.assignment);
      const notes = [
        ...planned.notes,
        `trained with fake quantization (straight-through gradients) for ${v.epochs} epoch(s) at learning rate ${v.learningRate}${Number(v.maxSteps) > 0 ? `, at most ${v.maxSteps} steps` : ''}${masks.size ? `; pruned zeros kept in ${[...masks.keys()].join(', ')}` : ''}`,
        ...(planned.settings.mode === 'dynamic' ? ['dynamic mode: only weights were fake-quantized in training (activation ranges are computed at run time)'] : []),
        ...choice.notes,
      ];
      return { model: out, report: quantizeReport('quantize-aware', params, layers, notes, choice.auto) };
    },
  };
}

export const quantizeAwarePass: Pass = createQuantizeAwarePass();
