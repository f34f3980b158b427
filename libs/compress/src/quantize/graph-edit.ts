import { GraphView, floatTensor, makeAttr, onnx } from '@edgefit/onnx';
import { intTensor } from './int-tensors.js';
import type { QParams } from './numerics.js';

type AttrValue = Parameters<typeof makeAttr>[1];

/** A quantized activation: the integer tensor and the names of its scale and zero point. */
export interface QuantizedValue {
  q: string;
  scale: string;
  zeroPoint: string;
}

/**
 * Edits of one graph for the operator forms: fresh unique names, initializers,
 * nodes, and quantized activations shared between the layers that read the
 * same tensor (one QuantizeLinear per tensor, one DequantizeLinear per QDQ pair).
 */
export class GraphEdit {
  readonly view: GraphView;
  private readonly used = new Set<string>();
  private readonly quantized = new Map<string, QuantizedValue>();
  private readonly dequantized = new Map<string, string>();
  private readonly dynamic = new Map<string, QuantizedValue>();

  constructor(readonly graph: onnx.IGraphProto) {
    this.view = new GraphView(graph);
    for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) this.used.add(v.name ?? '');
    for (const t of graph.initializer ?? []) this.used.add(t.name ?? '');
    for (const n of graph.node ?? []) for (const s of [n.name, ...(n.input ?? []), ...(n.output ?? [])]) if (s) this.used.add(s);
  }

  /** A name not used anywhere in the graph, derived from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  init(tensor: onnx.TensorProto, base: string): string {
    tensor.name = this.fresh(base);
    this.view.addInitializer(tensor);
    return tensor.name;
  }

  floats(base: string, dims: readonly number[], values: ArrayLike<number>): string {
    return this.init(floatTensor('', dims, Float32Array.from(values)), base);
  }

  ints(base: string, dims: readonly number[], values: ArrayLike<number>, dataType: number): string {
    return this.init(intTensor('', dims, values, dataType), base);
  }

  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, opts: { name?: string; domain?: string } = {}): onnx.NodeProto {
    return onnx.NodeProto.create({
      opType,
      name: opts.name ?? this.fresh(`${outputs[0]}/${opType}`),
      domain: opts.domain ?? '',
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => makeAttr(k, v)),
    });
  }

  /** Scale and zero-point initializers of per-tensor activation params stored in `dataType`. */
  private actParams(base: string, p: QParams, dataType: number): { scale: string; zeroPoint: string } {
    return { scale: this.floats(`${base}_scale`, [], [p.scale[0]!]), zeroPoint: this.ints(`${base}_zero_point`, [], [p.zeroPoint[0]!], dataType) };
  }

  /** QuantizeLinear of an activation (static params), shared by all its readers. */
  quantize(tensor: string, p: QParams, dataType: number, before: onnx.INodeProto): QuantizedValue {
    const key = `${tensor}|${dataType}`;
    const hit = this.quantized.get(key);
    if (hit) return hit;
    const { scale, zeroPoint } = this.actParams(tensor, p, dataType);
    const q = this.fresh(`${tensor}_quantized`);
    this.view.insertNodeBefore(before, this.node('QuantizeLinear', [tensor, scale, zeroPoint], [q]));
    const value = { q, scale, zeroPoint };
    this.quantized.set(key, value);
    return value;
  }

  /** A QuantizeLinear → DequantizeLinear pair on an activation: the float tensor a QDQ layer reads. */
  qdq(tensor: string, p: QParams, dataType: number, before: onnx.INodeProto): string {
    const key = `${tensor}|${dataType}`;
    const hit = this.dequantized.get(key);
    if (hit) return hit;
    const value = this.quantize(tensor, p, dataType, before);
    const dq = this.fresh(`${tensor}_dequantized`);
    this.view.insertNodeBefore(before, this.node('DequantizeLinear', [value.q, value.scale, value.zeroPoint], [dq]));
    this.dequantized.set(key, dq);
    return dq;
  }

  /** DynamicQuantizeLinear of an activation (uint8, scale and zero point computed per run), shared by its readers. */
  quantizeDynamic(tensor: string, before: onnx.INodeProto): QuantizedValue {
    const hit = this.dynamic.get(tensor);
    if (hit) return hit;
    const value = { q: this.fresh(`${tensor}_quantized`), scale: this.fresh(`${tensor}_scale`), zeroPoint: this.fresh(`${tensor}_zero_point`) };
    this.view.insertNodeBefore(before, this.node('DynamicQuantizeLinear', [tensor], [value.q, value.scale, value.zeroPoint]));
    this.dynamic.set(tensor, value);
    return value;
  }

  /** Q → DQ on a layer's output: the layer now writes `<output>_float`; readers of the output see the dequantized value. */
  qdqOutput(layerOutput: string, p: QParams, dataType: number): { raw: string; nodes: onnx.NodeProto[] } {
    const raw = this.fresh(`${layerOutput}_float`);
    const { scale, zeroPoint } = this.actParams(layerOutput, p, dataType);
    const q = this.fresh(`${layerOutput}_quantized`);
    // A following layer reading this output (same tensor, same params) reuses the pair instead of adding another.
    const key = `${layerOutput}|${dataType}`;
    this.quantized.set(key, { q, scale, zeroPoint });
    this.dequantized.set(key, layerOutput);
    return {
      raw,
      nodes: [this.node('QuantizeLinear', [raw, scale, zeroPoint], [q]), this.node('DequantizeLinear', [q, scale, zeroPoint], [layerOutput])],
    };
  }

  /** Drop initializers no node reads any more (the float weights a form replaced), keeping those given. */
  dropUnused(names: Iterable<string>): void {
    for (const name of names) if (this.view.initializer(name) && this.view.consumers(name).length === 0 && !this.view.isGraphOutput(name)) this.view.removeInitializer(name);
  }
}

