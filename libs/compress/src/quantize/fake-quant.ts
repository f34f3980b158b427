import { UserInputError } from '@edgefit/core';
import { DataType, decodeModel, encodeModel, type onnx } from '@edgefit/onnx';
import { actType } from './forms/form.js';
import { GraphEdit } from './graph-edit.js';
import { layerName } from './layers.js';
import { INT_RANGES, type IntRange } from './numerics.js';
import { defaultOpset, opsetBlocker, raiseOpset } from './opset.js';
import type { LayerPlan } from './plan.js';

/**
 * The fine grid whose QuantizeLinear saturation clips a weight to the b-bit
 * range. A b-bit grid [qmin, qmax] (w = qmax − qmin steps) has no ONNX type of
 * its own, and QuantizeLinear only saturates at its container's bounds. So
 * the weight first goes through a pair with scale s/k whose container
 * (int8, or int16 when no k fits) starts exactly at the grid's lowest level
 * and spans between w and w + ½ steps: it clips to [qmin, qmax] and rounds finely; the
 * second pair (scale s) rounds to the b-bit grid. k is odd, so a half-step of
 * the b-bit grid never lies on the fine grid and the double rounding equals a
 * single one. The straight-through gradient of the first pair's saturation is
 * the clipped STE; everything stays Q/DQ, which the training executor runs
 * and onnxruntime too.
 */
export function clipGrid(r: IntRange): { k: number; container: IntRange; dataType: number } | undefined {
  const w = r.qmax - r.qmin;
  if (w >= 255) return undefined;
  for (const [container, dataType] of [[INT_RANGES.int8, DataType.INT8], [INT_RANGES.int16, DataType.INT16]] as const) {
    const span = container.qmax - container.qmin;
    // The largest odd k with k·w ≤ span keeps every zero point's fine zero point inside the container.
    let k = Math.floor(span / w);
    if (k % 2 === 0) k--;
    if (k > span / (w + 0.5)) return { k, container, dataType };
  }
  throw new RangeError(`no clipping grid for ${w} steps`);
}

/** Q → DQ pairs on a weight with the plan's grid: the float weight the layer trains through. */
function fakeQuantWeight(edit: GraphEdit, p: LayerPlan, node: onnx.INodeProto): string {
  const l = p.layer;
  const params = p.weight.params;
  const axis: Record<string, number> = params.axis === null ? {} : { axis: params.axis };
  const dims = params.axis === null ? [] : [params.scale.length];
  // The initializer holds W; the grid was computed on alpha·W (Gemm).
  const scale = params.scale.map((s) => s / l.alpha);
  const pair = (input: string, s: ArrayLike<number>, zp: ArrayLike<number>, dataType: number, tag: string) => {
    const sName = edit.floats(`${l.weightName}_${tag}_scale`, dims, s);
    const zName = edit.ints(`${l.weightName}_${tag}_zero_point`, dims, zp, dataType);
    const q = edit.fresh(`${l.weightName}_${tag}_quantized`);
    const out = edit.fresh(`${l.weightName}_${tag}_fake`);
    edit.view.insertNodeBefore(node, edit.node('QuantizeLinear', [input, sName, zName], [q], axis), edit.node('DequantizeLinear', [q, sName, zName], [out], axis));
    return out;
  };
  const fine = clipGrid(params.range);
  const clipped = fine
    ? pair(l.weightName, scale.map((s) => s / fine.k), params.zeroPoint.map((z) => fine.container.qmin - fine.k * (params.range.qmin - z)), fine.dataType, 'clip')
    : l.weightName;
  return pair(clipped, scale, params.zeroPoint, DataType.INT8, `q${p.bits}`);
}

/** Opset the fake-quant graph needs: per-axis Q/DQ 13, int16 containers 21. */
function neededOpset(plans: readonly LayerPlan[]): number {
  return Math.max(10, ...plans.map((p) => (clipGrid(p.weight.params.range)?.dataType === DataType.INT16 || p.aBits === 16 ? 21 : p.perChannel ? 13 : 10)));
}

/**
 * A copy of the model for quantization-aware training: each planned layer
 * reads its weight through fake quantization on its b-bit grid, and (static
 * mode) its input and output through the calibrated activation Q/DQ pairs.
 * Initializer names are unchanged, so trained values map back by name.
 */
export function insertFakeQuant(pass: string, model: onnx.IModelProto, plans: readonly LayerPlan[]): onnx.ModelProto {
  const copy = decodeModel(encodeModel(model));
  const need = neededOpset(plans);
  const blocked = need > defaultOpset(copy) ? opsetBlocker(copy, need) : undefined;
  if (blocked) throw new UserInputError(`pass '${pass}': fake quantization needs opset ${need}, but ${blocked}`);
  raiseOpset(copy, need);
  const edit = new GraphEdit(copy.graph!);
  const byName = new Map(edit.view.nodes.map((n) => [layerName(n), n]));
  for (const p of plans) {
    const node = byName.get(p.layer.name)!;
    node.input![1] = fakeQuantWeight(edit, p, node);
    if (p.mode !== 'static' || !p.act) continue;
    node.input![0] = edit.qdq(p.layer.input, p.act.input, actType(p), node);
    const out = edit.qdqOutput(p.layer.output, p.act.output, actType(p));
    node.output![0] = out.raw;
    edit.view.insertNodeAfter(node, ...out.nodes);
  }
  edit.view.toposort();
  return copy;
}

/** The original model with every float initializer the trained model also has (same name, type and dims) taking its trained values. */
export function copyTrainedWeights(original: onnx.IModelProto, trained: onnx.IModelProto): onnx.ModelProto {
  const out = decodeModel(encodeModel(original));
  const byName = new Map((trained.graph?.initializer ?? []).map((t) => [t.name, t]));
  const dims = (t: onnx.ITensorProto) => (t.dims ?? []).join(',');
  out.graph!.initializer = (out.graph!.initializer ?? []).map((t) => {
    const u = byName.get(t.name);
    return u && u.dataType === t.dataType && dims(u) === dims(t) ? (u as onnx.TensorProto) : t;
  });
  return out;
}
