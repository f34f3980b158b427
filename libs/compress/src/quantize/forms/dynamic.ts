import { DataType } from '@edgefit/onnx';
import { toKxN } from '../layers.js';
import { INT8, biasDims, layerAttrs, markerOf, type FormEmitter } from './form.js';

/**
 * Dynamic quantization: activations are quantized per run
 * (DynamicQuantizeLinear → uint8, scale, zero point), the layer runs as
 * MatMulInteger / ConvInteger with int8 weights, and the int32 result is
 * scaled back to float by x_scale · w_scale and the bias added. No
 * calibration. onnxruntime's ConvInteger takes one weight zero point only,
 * so per-channel asymmetric convolutions cannot use this form.
 */
export const dynamicForm: FormEmitter = {
  form: 'dynamic',
  unavailable(p) {
    if (p.mode !== 'dynamic') return 'dynamic quantization computes activation ranges at run time (mode=dynamic)';
    if (p.bits !== 8) return `MatMulInteger/ConvInteger run 8-bit weights only, not ${p.bits}-bit`;
    if (p.aBits !== 8) return 'DynamicQuantizeLinear produces 8-bit activations only';
    if (p.layer.op === 'Conv' && new Set(p.weight.params.zeroPoint).size > 1) return 'ConvInteger takes a single weight zero point (use scheme=sym or granularity=tensor)';
    return undefined;
  },
  opset: () => 11,
  emit(edit, p, node) {
    const l = p.layer;
    const isConv = l.op === 'Conv';
    const x = edit.quantizeDynamic(l.input, node);
    const params = p.weight.params;
    const wDims = isConv || !l.transB ? l.weightDims : [l.weightDims[1]!, l.weightDims[0]!];
    const wq = edit.ints(`${l.weightName}_quantized`, wDims, isConv ? p.weight.q : toKxN(p.weight.q, l), INT8);
    const zpDims = isConv || params.axis === null ? [] : [params.zeroPoint.length];
    const wz = edit.ints(`${l.weightName}_zero_point`, zpDims, isConv ? [params.zeroPoint[0]!] : params.zeroPoint, INT8);
    // w_scale broadcast against the layer output: [C, 1, 1] for NCHW, [N] for matmuls, scalar per tensor.
    const perChannelDims = isConv ? [params.scale.length, ...Array<number>(l.weightDims.length - 2).fill(1)] : [params.scale.length];
    const ws = edit.floats(`${l.weightName}_scale`, params.axis === null ? [] : perChannelDims, params.scale);
    const acc = edit.fresh(`${l.output}_int32`);
    const compute = isConv
      ? edit.node('ConvInteger', [x.q, wq, x.zeroPoint, wz], [acc], layerAttrs(node), { name: l.name })
      : edit.node('MatMulInteger', [x.q, wq, x.zeroPoint, wz], [acc], {}, { name: l.name });
    const accFloat = edit.fresh(`${l.output}_accumulated`);
    const scale = edit.fresh(`${l.output}_scale`);
    const scaled = l.bias ? edit.fresh(`${l.output}_scaled`) : l.output;
    const nodes = [
      compute,
      edit.node('Cast', [acc], [accFloat], { to: DataType.FLOAT }),
      edit.node('Mul', [x.scale, ws], [scale]),
      edit.node('Mul', [accFloat, scale], [scaled]),
    ];
    if (l.bias) nodes.push(edit.node('Add', [scaled, edit.floats(`${l.biasName ?? l.name}_folded`, biasDims(l), l.bias)], [l.output]));
    edit.view.replaceNode(node, ...nodes);
    return { node: compute, marker: markerOf(p, 'dynamic', 8, wq) };
  },
};
