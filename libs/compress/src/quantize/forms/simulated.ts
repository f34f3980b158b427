import type { onnx } from '@edgefit/onnx';
import type { GraphEdit } from '../graph-edit.js';
import type { LayerPlan } from '../plan.js';
import { actType, layerAttrs, markerOf, type EmitResult, type FormEmitter } from './form.js';

/** The layer's input as the quantized kernel would see it: fake-quantized per the plan's mode. */
function fakeQuantInput(edit: GraphEdit, p: LayerPlan, node: onnx.INodeProto): string {
  if (p.mode === 'static') return edit.qdq(p.layer.input, p.act!.input, actType(p), node);
  const x = edit.quantizeDynamic(p.layer.input, node);
  const deq = edit.fresh(`${p.layer.input}_dequantized`);
  edit.view.insertNodeBefore(node, edit.node('DequantizeLinear', [x.q, x.scale, x.zeroPoint], [deq]));
  return deq;
}

/**
 * Float kernels on a float initializer that holds the dequantized weight:
 * the layer computes exactly with the b-bit values (so measured accuracy is
 * true) while the size is counted from the bit width. With `activations`,
 * the input (and, in static mode, the output) goes through Q → DQ as the
 * integer kernel would quantize it.
 */
function emitFloat(edit: GraphEdit, p: LayerPlan, node: onnx.INodeProto, activations: boolean, form: string): EmitResult {
  const l = p.layer;
  const w = edit.floats(`${l.weightName}_q${p.bits}`, l.weightDims, p.weight.dequantized);
  const inputs = [activations ? fakeQuantInput(edit, p, node) : l.input, w];
  if (l.bias) inputs.push(edit.floats(`${l.biasName ?? l.name}_folded`, [l.bias.length], l.bias));
  const staticOut = activations && p.mode === 'static';
  const out = staticOut ? edit.qdqOutput(l.output, p.act!.output, actType(p)) : undefined;
  const layer = edit.node(l.op, inputs, [out?.raw ?? l.output], layerAttrs(node), { name: l.name });
  edit.view.replaceNode(node, layer, ...(out?.nodes ?? []));
  return { node: layer, marker: markerOf(p, form, activations ? p.aBits : 32, w) };
}

/** Per-tensor activation Q/DQ needs opset 10, DynamicQuantizeLinear 11, int16 Q/DQ 21. */
function activationOpset(p: LayerPlan): number {
  return p.aBits === 16 ? 21 : p.mode === 'dynamic' ? 11 : 10;
}

/** Simulated execution: any width 1–8, activations quantized as asked. */
export const simulatedForm: FormEmitter = {
  form: 'simulated',
  unavailable: (p) => (p.mode === 'static' && !p.act ? 'static mode needs calibrated activation ranges' : undefined),
  opset: activationOpset,
  emit: (edit, p, node) => emitFloat(edit, p, node, true, 'simulated'),
};

/**
 * Weight-only: the simulated weights with float activations — the same
 * kernels as the float model, so never slower than it. `auto` uses it for
 * layers no integer kernel runs faster on the host.
 */
export const weightOnlyForm: FormEmitter = {
  form: 'weight-only',
  unavailable: () => undefined,
  opset: () => 1,
  emit: (edit, p, node) => emitFloat(edit, p, node, false, 'simulated'),
};
