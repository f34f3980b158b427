import { UserInputError } from '@edgefit/core';
import { subset, type DataSplit } from '@edgefit/data';
import type { onnx } from '@edgefit/onnx';
import { layerParam, type ResolvedParams } from '../param-schema.js';
import type { PassContext } from '../pass.js';
import { calibrate } from './calibration.js';
import { foldBatchNorms } from './fold-batchnorm.js';
import { findLayers, layerName, type LayerInfo, type LayerScan } from './layers.js';
import { INT_RANGES, qparamsFromRanges, type QParams } from './numerics.js';
import { readSettings, type QuantizeSettings } from './params.js';
import type { LayerPlan } from './plan.js';
import { estimateRange, type TensorStats } from './range-estimators.js';
import { quantizeWeight, requantizeWeight } from './weight-quant.js';

export interface Planned {
  plans: LayerPlan[];
  scan: LayerScan;
  settings: QuantizeSettings;
  notes: string[];
}

/** Calibration samples: ctx.calibration, else the dataset's training split, cut to `n` (seeded). */
function calibrationData(pass: string, ctx: PassContext, n: number): DataSplit {
  const source = ctx.calibration ?? ctx.dataset?.splits.train;
  if (!source || source.count === 0) {
    throw new UserInputError(`pass '${pass}': parameter 'mode' is 'static', which calibrates activation ranges on training samples: give a dataset, or set mode=dynamic`);
  }
  return source.count <= n ? source : subset(source, n, ctx.rng.fork('calibration').int(0, 0x7fffffff));
}

function activationParams(stats: TensorStats | undefined, s: QuantizeSettings): QParams {
  const grid = s.aBits === 16 ? INT_RANGES.int16 : INT_RANGES.int8;
  const [lo, hi] = stats ? estimateRange(stats, { estimator: s.calibration, percentile: s.percentile, grid, symmetric: false }) : [0, 0];
  return qparamsFromRanges([lo], [hi], grid, false, null);
}

function planLayer(l: LayerInfo, bits: number, s: QuantizeSettings): LayerPlan {
  const weightRange = s.weightRange === 'auto' ? (bits < 8 ? 'mse' : 'minmax') : s.weightRange;
  const weight = quantizeWeight(l.weight, l.weightDims, { bits, symmetric: s.symmetric || bits === 1, axis: s.perChannel ? l.axis : null, range: weightRange });
  return { layer: l, bits, symmetric: s.symmetric || bits === 1, perChannel: s.perChannel, weightRange, weight, mode: s.mode, aBits: s.aBits, blockSize: s.blockSize };
}

/**
 * Fold BatchNormalization into convolutions (editing `model`, the pass's own
 * copy), find the layers, check the params against them, quantize each layer's
 * weight, and (static mode) calibrate the activation ranges of every
 * layer's input and output on the float model.
 */
export async function buildPlans(pass: string, model: onnx.IModelProto, params: ResolvedParams, ctx: PassContext): Promise<Planned> {
  const folded = foldBatchNorms(model);
  const graph = model.graph!;
  const scan = findLayers(graph);
  const settings = readSettings(pass, params, scan, new Set((graph.node ?? []).map(layerName)));
  const notes: string[] = folded.length ? [`folded ${folded.length} BatchNormalization layer(s) into the convolutions before them: ${folded.join(', ')}`] : [];
  for (const r of scan.rejected) notes.push(`layer '${r.name}' (${r.op}) left in float: ${r.reason}`);
  if (settings.skip.size) notes.push(`layers left in float (skipLayers): ${[...settings.skip].join(', ')}`);
  const plans = scan.layers.filter((l) => !settings.skip.has(l.name)).map((l) => planLayer(l, Number(layerParam(params, 'bits', l.name)), settings));
  if (settings.mode === 'static' && plans.length > 0) {
    const data = calibrationData(pass, ctx, settings.calibrationSamples);
    const tensors = [...new Set(plans.flatMap((p) => [p.layer.input, p.layer.output]))];
    ctx.log(`${pass}: calibrating ${tensors.length} activations on ${data.count} samples (${settings.calibration})`);
    const stats = await calibrate(model, tensors, data);
    for (const p of plans) p.act = { input: activationParams(stats.get(p.layer.input), settings), output: activationParams(stats.get(p.layer.output), settings) };
  }
  return { plans, scan, settings, notes };
}

/**
 * The same plans on a retrained copy of the model (QAT): each layer re-read
 * (new weights and bias), its weight re-quantized on the grid it was trained
 * with, the activation params kept.
 */
export function replan(model: onnx.IModelProto, plans: readonly LayerPlan[]): LayerPlan[] {
  const layers = new Map(findLayers(model.graph!).layers.map((l) => [l.name, l]));
  return plans.map((p) => {
    const layer = layers.get(p.layer.name)!;
    return { ...p, layer, weight: requantizeWeight(layer.weight, p.weight) };
  });
}
