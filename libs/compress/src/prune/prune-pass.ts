import { UserInputError } from '@edgefit/core';
import { analyzeCost, modelTask, type onnx } from '@edgefit/onnx';
import type { DistillOptions } from '@edgefit/train';
import { layerParam, type ResolvedParams } from '../param-schema.js';
import type { LayerReport, Pass, PassContext, PassResult } from '../pass.js';
import { agpFraction } from './agp-schedule.js';
import type { ChannelCriterion } from './channel-scores.js';
import { layerName, parseSkipLayers, weightLayers } from './prunable-layers.js';
import { PRUNE_PARAMS, type PruneMethod } from './prune-params.js';
import { channelLayers, pruneChannels } from './structured.js';
import { cloneModel } from './tensor-edit.js';
import { measureSparsity, zeroWeights } from './unstructured.js';

const PASS = 'prune';

/** Per-layer overrides must name layers this method can prune (the pipeline already checked they exist). */
function checkOverrides(params: ResolvedParams, prunable: ReadonlySet<string>, model: onnx.IModelProto, what: string): void {
  for (const layer of Object.keys(params.perLayer.sparsity ?? {})) {
    if (prunable.has(layer)) continue;
    const node = model.graph?.node?.find((n) => layerName(n) === layer);
    const op = node ? ` (${node.opType})` : '';
    throw new UserInputError(`pass '${PASS}': parameter 'sparsity.${layer}' names layer '${layer}'${op}, which has no ${what} to prune`);
  }
}

/** How every fine-tuning run of one pass application trains. */
interface Tuning {
  epochs: number;
  distill?: DistillOptions;
}

/**
 * The fine-tuning of a pass run: with `distill`, the unpruned input model
 * teaches every step's student (the pruned models keep its inputs and classes).
 */
function tuningFor(input: onnx.ModelProto, params: ResolvedParams, notes: string[]): Tuning {
  const v = params.values;
  const epochs = v.fineTuneEpochs as number;
  if (!v.distill || epochs === 0) return { epochs };
  if (modelTask(input) !== 'classification') {
    notes.push('distill skipped: distillation applies to classifiers, not to an autoencoder');
    return { epochs };
  }
  return { epochs, distill: { teacher: input, temperature: v.distillTemperature as number, alpha: v.distillAlpha as number } };
}

async function fineTuneStep(ctx: PassContext, model: onnx.ModelProto, tuning: Tuning, masks: Map<string, Float32Array> | undefined, notes: string[], label: string): Promise<onnx.ModelProto> {
  const { epochs, distill } = tuning;
  if (epochs <= 0) return model;
  if (!ctx.fineTune) {
    if (!notes.some((n) => n.startsWith('fine-tuning skipped'))) notes.push('fine-tuning skipped: no dataset was given');
    return model;
  }
  ctx.log(`prune: fine-tuning ${label} (${epochs} epoch${epochs === 1 ? '' : 's'}${distill ? `, distilled from the unpruned model at T=${distill.temperature}` : ''})`);
  return ctx.fineTune(model, { epochs, masks, distill });
}

/** Unstructured magnitude or N:M pruning; iterative runs follow AGP with fine-tuning after each step. */
async function applyZeroing(input: onnx.ModelProto, params: ResolvedParams, ctx: PassContext, method: PruneMethod, skip: Set<string>, notes: string[]) {
  const tuning = tuningFor(input, params, notes);
  const v = params.values;
  checkOverrides(params, new Set(weightLayers(input).map((l) => l.name)), input, 'Conv, Gemm or MatMul weight');
  let steps = v.schedule === 'iterative' ? (v.steps as number) : 1;
  if (method === 'nm' && steps > 1) {
    notes.push('nm: the N:M pattern is applied in one step (iterative schedule ignored)');
    steps = 1;
  }
  let model = cloneModel(input);
  let masks = new Map<string, Float32Array>();
  let layers: LayerReport[];
  for (let t = 1; t <= steps; t++) {
    const fraction = agpFraction(t, steps);
    const target =
      method === 'nm'
        ? { kind: 'nm' as const, n: v.n as number, m: v.m as number, skip }
        : {
            kind: 'magnitude' as const,
            scope: v.scope as 'layer' | 'global',
            sparsity: (layer: string) => layerParam<number>(params, 'sparsity', layer) * fraction,
            overridden: (layer: string) => params.perLayer.sparsity?.[layer] !== undefined,
            skip,
          };
    ({ masks, layers } = zeroWeights(model, target, masks));
    if (steps > 1) ctx.log(`prune: step ${t}/${steps}, sparsity ${(overall(layers) * 100).toFixed(1)}%`);
    model = await fineTuneStep(ctx, model, tuning, masks, notes, `step ${t}/${steps}`);
  }
  // Fine-tuning holds masked weights at exactly zero; report what the model now holds.
  const final = measureSparsity(model, skip);
  notes.push(`sparsity ${(overall(final) * 100).toFixed(2)}% over ${final.reduce((n, l) => n + (l.params as number), 0)} weights of ${final.length} layers`);
  return { model, layers: final };
}

function overall(layers: LayerReport[]): number {
  const params = layers.reduce((n, l) => n + (l.params as number), 0);
  return params === 0 ? 0 : layers.reduce((n, l) => n + (l.zeros as number), 0) / params;
}

/** The kept width rounded to the nearest multiple (at least one multiple, at most the layer's own width). */
export function keptWidth(channels: number, kept: number, multiple: number): number {
  if (multiple <= 1) return kept;
  return Math.min(channels, Math.max(multiple, Math.round(kept / multiple) * multiple));
}

/** Structured channel removal; iterative runs remove channels in AGP steps with fine-tuning between. */
async function applyStructured(input: onnx.ModelProto, params: ResolvedParams, ctx: PassContext, method: PruneMethod, skip: Set<string>, notes: string[]) {
  const tuning = tuningFor(input, params, notes);
  const v = params.values;
  const original = channelLayers(input);
  checkOverrides(params, new Set(original.map((l) => l.name)), input, 'dense Conv, Gemm or MatMul output channel');
  if (v.scope === 'global') notes.push('scope=global applies to magnitude pruning; each layer loses its own fraction of channels');
  const steps = v.schedule === 'iterative' ? (v.steps as number) : 1;
  let model = cloneModel(input);
  let last: ReturnType<typeof pruneChannels> = { layers: [], notes: [] };
  for (let t = 1; t <= steps; t++) {
    const fraction = agpFraction(t, steps);
    const keep = new Map<string, number>();
    for (const l of original) {
      const s = layerParam<number>(params, 'sparsity', l.name);
      if (!skip.has(l.name) && s > 0) keep.set(l.name, keptWidth(l.channels, l.channels - Math.round(l.channels * s * fraction), v.channelMultiple as number));
    }
    last = pruneChannels(model, { keep, criterion: method as ChannelCriterion });
    if (steps > 1) ctx.log(`prune: step ${t}/${steps}`);
    // Removed channels are gone from the graph: no masks are needed while fine-tuning.
    model = await fineTuneStep(ctx, model, tuning, undefined, notes, `step ${t}/${steps}`);
  }
  notes.push(...new Set(last.notes));
  const before = new Map(original.map((l) => [l.name, l.channels]));
  const layers = last.layers.map((l) => {
    const channelsBefore = before.get(l.layer)!;
    const { removedChannels, ...rest } = l;
    return { ...rest, channelsBefore, sparsity: 1 - (l.channelsAfter as number) / channelsBefore, ...(steps === 1 ? { removedChannels } : {}) };
  });
  return { model, layers };
}

/** Parameter count for the report; a model the cost analysis cannot read just goes without it. */
function paramCount(model: onnx.IModelProto): number | undefined {
  try {
    return analyzeCost(model, { strict: false }).params;
  } catch {
    return undefined;
  }
}

export const prunePass: Pass = {
  name: PASS,
  description:
    'pruning: unstructured magnitude (layer-wise or global), N:M, or structured filter/channel removal (L1/L2 norm, BN scale) that rewires consumers into a smaller dense model; one-shot or iterative (AGP) with masked fine-tuning, optionally distilled from the unpruned model',
  params: PRUNE_PARAMS,
  async apply(model: onnx.ModelProto, params: ResolvedParams, ctx: PassContext): Promise<PassResult> {
    const method = params.values.method as PruneMethod;
    if (method === 'nm' && (params.values.n as number) >= (params.values.m as number)) {
      throw new UserInputError(`pass '${PASS}': parameter 'n' must be less than m (${params.values.m}), got ${params.values.n}`);
    }
    const skip = parseSkipLayers(PASS, params.values.skipLayers as string, model);
    const notes: string[] = [];
    const before = paramCount(model);
    const run = method === 'magnitude' || method === 'nm' ? applyZeroing : applyStructured;
    const { model: out, layers } = await run(model, params, ctx, method, skip, notes);
    const after = paramCount(out);
    if (before !== undefined && after !== undefined && after !== before) notes.push(`parameters ${before} → ${after}`);
    return { model: out, report: { pass: PASS, params, layers, simulated: [], notes } };
  },
};
