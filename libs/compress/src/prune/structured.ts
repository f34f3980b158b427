import { GraphView, inferShapes, makeAttr, type onnx } from '@edgefit/onnx';
import type { LayerReport } from '../pass.js';
import { bnScaleScores, channelsToRemove, filterNorms, type ChannelCriterion } from './channel-scores.js';
import { keptPositions, planChannels, producerChannels, type ChannelPlan } from './channel-plan.js';
import { layerName } from './prunable-layers.js';
import { replaceInitializer, sliceAxis } from './tensor-edit.js';

/**
 * Structured (filter / channel) pruning that physically removes output
 * channels and rewires every consumer, so the result is a smaller dense
 * model that any runtime runs faster — unlike zeros, which only help
 * hardware with sparse kernels.
 */

export interface StructuredTarget {
  /** Channels to keep in each layer (by layer name); layers not listed are left alone. */
  keep: Map<string, number>;
  criterion: ChannelCriterion;
}

export interface StructuredResult {
  layers: LayerReport[];
  notes: string[];
}

/** Layers whose output channels structured pruning can choose (dense Conv, Gemm, MatMul), in graph order. */
export function channelLayers(model: onnx.IModelProto): { name: string; op: string; channels: number }[] {
  const view = new GraphView(model.graph!);
  return view.nodes.flatMap((n) => {
    const info = producerChannels(view, n);
    return info ? [{ name: layerName(n), op: n.opType ?? '', channels: info.channels }] : [];
  });
}

function scoresFor(view: GraphView, plan: ChannelPlan, criterion: ChannelCriterion, notes: string[]): Float64Array {
  const info = producerChannels(view, plan.producer)!;
  if (criterion === 'bn-scale') {
    const scale = plan.bnScale ? view.initializer(plan.bnScale) : undefined;
    if (scale) return bnScaleScores(scale);
    notes.push(`${layerName(plan.producer)}: no BatchNormalization follows; ranked channels by L1 norm instead of BN scale`);
  }
  return filterNorms(info.weight, info.axis, criterion === 'l2-filter' ? 2 : 1);
}

function applyPlan(model: onnx.ModelProto, view: GraphView, plan: ChannelPlan, removed: ReadonlySet<number>): void {
  const graph = model.graph!;
  for (const s of plan.slices) {
    replaceInitializer(graph, sliceAxis(view.initializer(s.init)!, s.axis, keptPositions(s.owned, s.width, removed)));
  }
  for (const g of plan.groups) {
    const width = keptPositions(g.owned, g.width, removed).length;
    g.node.attribute = (g.node.attribute ?? []).map((a) => (a.name === 'group' ? makeAttr('group', width, 'int') : a));
  }
  // Declared shapes of rewired values are stale now; onnxruntime re-infers them.
  const touched = new Set(plan.touched);
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => !touched.has(v.name ?? ''));
}

/** Remove channels layer by layer, in graph order, on `model` (a private copy: edited in place). */
export function pruneChannels(model: onnx.ModelProto, target: StructuredTarget): StructuredResult {
  const layers: LayerReport[] = [];
  const notes: string[] = [];
  const names = channelLayers(model).map((l) => l.name).filter((n) => target.keep.has(n));
  for (const name of names) {
    const view = new GraphView(model.graph!);
    const producer = view.nodes.find((n) => layerName(n) === name);
    if (!producer) continue;
    const before = producerChannels(view, producer)!.channels;
    const remove = before - Math.max(1, target.keep.get(name)!);
    if (remove <= 0) {
      layers.push({ layer: name, op: producer.opType ?? '', channelsBefore: before, channelsAfter: before, removedChannels: [] });
      continue;
    }
    // Shapes are re-inferred for each layer: an earlier layer's edit changed its consumers.
    const planned = planChannels(view, inferShapes(model, { strict: false }), producer);
    if (!planned.ok) {
      notes.push(`${name}: skipped, ${planned.reason}`);
      layers.push({ layer: name, op: producer.opType ?? '', channelsBefore: before, channelsAfter: before, skipped: planned.reason });
      continue;
    }
    const removed = channelsToRemove(scoresFor(view, planned.plan, target.criterion, notes), remove);
    applyPlan(model, view, planned.plan, removed);
    layers.push({
      layer: name,
      op: producer.opType ?? '',
      channelsBefore: before,
      channelsAfter: before - removed.size,
      removedChannels: [...removed].sort((a, b) => a - b),
    });
  }
  return { layers, notes };
}
