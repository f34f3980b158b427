import { DataType } from '@edgefit/onnx';
import { scaleZeroPoint, toUnsigned, type QParams } from '../numerics.js';
import { biasDims, coveredRange, int32Bias, layerAttrs, markerOf, paramInits, weightInits, type FormEmitter } from './form.js';

/**
 * MatMul kernels have no bias input: the integer output must cover x·W
 * before the bias is added, i.e. the calibrated output range shifted by −b.
 */
function preBiasParams(out: QParams, bias: Float32Array): QParams {
  const [lo, hi] = coveredRange(out);
  const bmax = bias.reduce((a, b) => Math.max(a, b), -Infinity);
  const bmin = bias.reduce((a, b) => Math.min(a, b), Infinity);
  const sz = scaleZeroPoint(lo - bmax, hi - bmin, out.range, false);
  return { ...out, scale: Float32Array.of(sz.scale), zeroPoint: Int32Array.of(sz.zeroPoint) };
}

/**
 * QOperator: integer operators with explicit quantization params —
 * QuantizeLinear → QLinearConv (int32 bias inside) → DequantizeLinear, and
 * for Gemm/MatMul QuantizeLinear → QLinearMatMul → DequantizeLinear → Add(bias).
 * uint8 activations with a zero point, int8 weights (per channel allowed).
 */
export const qoperatorForm: FormEmitter = {
  form: 'qoperator',
  unavailable(p) {
    if (p.mode !== 'static' || !p.act) return 'QOperator needs calibrated activation ranges (mode=static)';
    if (p.bits !== 8) return `QLinearConv/QLinearMatMul run 8-bit weights only, not ${p.bits}-bit`;
    if (p.aBits !== 8) return 'QLinearConv/QLinearMatMul run 8-bit activations only';
    return undefined;
  },
  opset: () => 10,
  emit(edit, p, node) {
    const l = p.layer;
    // uint8 activations: onnxruntime's fast QLinear kernels are U8S8 (S8S8 QLinearMatMul measured ~20x slower).
    const x = edit.quantize(l.input, toUnsigned(p.act!.input), DataType.UINT8, node);
    const isConv = l.op === 'Conv';
    const w = weightInits(edit, p, !isConv);
    const bias = l.bias && isConv ? int32Bias(l.bias, p.act!.input.scale[0]!, p.weight.params.scale) : undefined;
    const outParams = toUnsigned(l.bias && !bias ? preBiasParams(p.act!.output, l.bias) : p.act!.output);
    const y = paramInits(edit, l.output, outParams, DataType.UINT8);
    const yq = edit.fresh(`${l.output}_quantized`);
    const inputs = [x.q, x.scale, x.zeroPoint, w.q, w.scale, w.zeroPoint, y.scale, y.zeroPoint];
    if (bias) inputs.push(edit.ints(`${l.biasName}_quantized`, [bias.values.length], bias.values, DataType.INT32));
    const compute = isConv
      ? edit.node('QLinearConv', inputs, [yq], layerAttrs(node), { name: l.name })
      : edit.node('QLinearMatMul', inputs, [yq], {}, { name: l.name });
    const needsAdd = l.bias !== undefined && !bias;
    const deq = needsAdd ? edit.fresh(`${l.output}_float`) : l.output;
    const nodes = [compute, edit.node('DequantizeLinear', [yq, y.scale, y.zeroPoint], [deq])];
    if (needsAdd) nodes.push(edit.node('Add', [deq, edit.floats(`${l.biasName ?? l.name}_folded`, biasDims(l), l.bias!)], [l.output]));
    edit.view.replaceNode(node, ...nodes);
    return { node: compute, marker: markerOf(p, 'qoperator', 8, w.q) };
  },
};
