import { decodeModel, encodeModel, type onnx } from '@edgefit/onnx';
import { EMITTERS } from './forms/index.js';
import { GraphEdit } from './graph-edit.js';
import { writeMarker, type LayerMarker } from './layer-marker.js';
import { layerName } from './layers.js';
import { defaultOpset, importMicrosoftDomain, opsetBlocker, raiseOpset } from './opset.js';
import type { EmitForm, LayerPlan } from './plan.js';

export type Assignment = ReadonlyMap<string, EmitForm>;

export interface EmittedLayer {
  plan: LayerPlan;
  form: EmitForm;
  marker: LayerMarker;
}

/** Why `form` cannot be used for the layer in this model (kernel support, or an opset the model cannot move to). */
export function formBlocker(model: onnx.IModelProto, p: LayerPlan, form: EmitForm): string | undefined {
  const e = EMITTERS[form];
  const why = e.unavailable(p);
  if (why) return why;
  const need = e.opset(p);
  const blocked = need > defaultOpset(model) ? opsetBlocker(model, need) : undefined;
  return blocked ? `it needs opset ${need}, but ${blocked}` : undefined;
}

/**
 * Emit every planned layer in its assigned form into a copy of the model
 * (the input is never touched), raise the opset if a form needs it, mark
 * each layer's compute node, and drop the float weights no node reads now.
 */
export function emitModel(base: onnx.IModelProto, plans: readonly LayerPlan[], assignment: Assignment): { model: onnx.ModelProto; layers: EmittedLayer[] } {
  const model = decodeModel(encodeModel(base));
  const need = Math.max(defaultOpset(model), ...plans.map((p) => EMITTERS[assignment.get(p.layer.name)!].opset(p)));
  raiseOpset(model, need);
  const edit = new GraphEdit(model.graph!);
  const byName = new Map(edit.view.nodes.map((n) => [layerName(n), n]));
  const layers: EmittedLayer[] = [];
  for (const p of plans) {
    const form = assignment.get(p.layer.name)!;
    const { node, marker } = EMITTERS[form].emit(edit, p, byName.get(p.layer.name)!);
    writeMarker(node, marker);
    layers.push({ plan: p, form, marker });
  }
  edit.view.toposort();
  edit.dropUnused(plans.flatMap((p) => [p.layer.weightName, ...(p.layer.biasName ? [p.layer.biasName] : [])]));
  if (layers.some((l) => l.form === 'matmulnbits')) importMicrosoftDomain(model);
  return { model, layers };
}

export function emitBytes(base: onnx.IModelProto, plans: readonly LayerPlan[], assignment: Assignment): Uint8Array {
  return encodeModel(emitModel(base, plans, assignment).model);
}
