import { DataType } from '@edgefit/onnx';
import { actType, int32Bias, layerAttrs, markerOf, weightInits, type FormEmitter } from './form.js';

/**
 * QDQ: the float layer stays, with DequantizeLinear on its integer weight
 * (int8, or INT4 at opset 21 as a size form), QuantizeLinear → DequantizeLinear
 * on its input and output activations, and its bias as int32 with scale
 * x_scale · w_scale — the pattern onnxruntime's QDQ fusion turns into integer
 * kernels (it fuses a node only when all its inputs and outputs are
 * quantized). Activations are int8 with a zero point (S8S8 with the int8
 * weights), or int16 at opset 21.
 */
export const qdqForm: FormEmitter = {
  form: 'qdq',
  unavailable(p) {
    if (p.mode !== 'static' || !p.act) return 'QDQ needs calibrated activation ranges (mode=static)';
    if (p.bits !== 8 && p.bits !== 4) return `no onnxruntime kernel runs ${p.bits}-bit weights`;
    return undefined;
  },
  opset(p) {
    return p.bits === 4 || p.aBits === 16 ? 21 : p.perChannel ? 13 : 10;
  },
  emit(edit, p, node) {
    const l = p.layer;
    const act = p.act!;
    const x = edit.qdq(l.input, act.input, actType(p), node);
    const w = weightInits(edit, p);
    const wf = edit.fresh(`${l.weightName}_dequantized`);
    edit.view.insertNodeBefore(node, edit.node('DequantizeLinear', [w.q, w.scale, w.zeroPoint], [wf], w.axis === null ? {} : { axis: w.axis }));
    const inputs = [x, wf];
    if (l.bias) {
      const b = int32Bias(l.bias, act.input.scale[0]!, p.weight.params.scale);
      if (b) {
        const q = edit.ints(`${l.biasName ?? l.name}_quantized`, [l.bias.length], b.values, DataType.INT32);
        const s = edit.floats(`${l.biasName ?? l.name}_scale`, [l.bias.length], b.scale);
        const bf = edit.fresh(`${l.biasName ?? l.name}_dequantized`);
        edit.view.insertNodeBefore(node, edit.node('DequantizeLinear', [q, s], [bf], { axis: 0 }));
        inputs.push(bf);
      } else {
        inputs.push(edit.floats(`${l.biasName ?? l.name}_folded`, [l.bias.length], l.bias));
      }
    }
    const out = edit.qdqOutput(l.output, act.output, actType(p));
    const layer = edit.node(l.op, inputs, [out.raw], layerAttrs(node), { name: l.name });
    edit.view.replaceNode(node, layer, ...out.nodes);
    return { node: layer, marker: markerOf(p, 'qdq', p.aBits, w.q) };
  },
};
