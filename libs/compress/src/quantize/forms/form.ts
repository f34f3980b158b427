import { DataType, getAttr, type onnx } from '@edgefit/onnx';
import type { GraphEdit } from '../graph-edit.js';
import type { LayerMarker } from '../layer-marker.js';
import { storageType } from '../int-tensors.js';
import { toKxN, type LayerInfo } from '../layers.js';
import type { QParams } from '../numerics.js';
import type { EmitForm, LayerPlan } from '../plan.js';

export interface EmitResult {
  /** The node doing the layer's arithmetic (it keeps the layer's name and carries the marker). */
  node: onnx.NodeProto;
  marker: LayerMarker;
}

/** One operator form: when it can run a layer, the opset it needs, and the rewrite. */
export interface FormEmitter {
  readonly form: EmitForm;
  /** Why the form cannot run this layer on onnxruntime's CPU kernels; undefined when it can. */
  unavailable(p: LayerPlan): string | undefined;
  /** Default-domain opset the emitted nodes need. */
  opset(p: LayerPlan): number;
  /** Replace `node` (the layer in the graph being edited) by its quantized form. */
  emit(edit: GraphEdit, p: LayerPlan, node: onnx.INodeProto): EmitResult;
}

export const INT8 = DataType.INT8;

/** Activation storage type for the plan's activation bits. */
export function actType(p: LayerPlan): number {
  return p.aBits === 16 ? DataType.INT16 : DataType.INT8;
}

/** The layer's attributes for the rewritten node (Gemm's alpha and beta were folded into W and b). */
export function layerAttrs(node: onnx.INodeProto, drop: readonly string[] = ['alpha', 'beta']): Record<string, NonNullable<ReturnType<typeof getAttr>>> {
  const out: Record<string, NonNullable<ReturnType<typeof getAttr>>> = {};
  for (const a of node.attribute ?? []) {
    const v = getAttr(node, a.name ?? '');
    if (v !== undefined && !drop.includes(a.name ?? '')) out[a.name!] = v;
  }
  return out;
}

/** Scale and zero-point initializers of weight params (scalar per tensor, 1-D per channel). */
export function paramInits(edit: GraphEdit, base: string, p: QParams, dataType: number): { scale: string; zeroPoint: string } {
  const dims = p.axis === null ? [] : [p.scale.length];
  return { scale: edit.floats(`${base}_scale`, dims, p.scale), zeroPoint: edit.ints(`${base}_zero_point`, dims, p.zeroPoint, dataType) };
}

/** The quantized weight in its own layout (`kxn`: Gemm/MatMul weights as [K, N], the layout MatMul kernels take). */
export function weightInits(edit: GraphEdit, p: LayerPlan, kxn = false): { q: string; scale: string; zeroPoint: string; axis: number | null } {
  const l = p.layer;
  const dataType = storageType(p.bits);
  const flip = kxn && l.transB;
  const dims = flip ? [l.weightDims[1]!, l.weightDims[0]!] : l.weightDims;
  const q = edit.ints(`${l.weightName}_quantized`, dims, flip ? toKxN(p.weight.q, l) : p.weight.q, dataType);
  const axis = p.weight.params.axis === null ? null : flip ? 1 : p.weight.params.axis;
  return { q, ...paramInits(edit, l.weightName, p.weight.params, dataType), axis };
}

/** Integer bias for integer kernels: b / (x_scale · w_scale_c), zero point 0; undefined if it overflows int32. */
export function int32Bias(bias: Float32Array, xScale: number, wScale: Float32Array): { values: Int32Array; scale: Float32Array } | undefined {
  const scale = Float32Array.from(bias, (_, c) => xScale * wScale[wScale.length === 1 ? 0 : c]!);
  const values = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const v = Math.round(bias[c]! / scale[c]!);
    if (!Number.isFinite(v) || Math.abs(v) > 2 ** 31 - 1) return undefined;
    values[c] = v;
  }
  return { values, scale };
}

/** The marker of a quantized layer. */
export function markerOf(p: LayerPlan, form: string, aBits: number, weight: string, extra: Partial<LayerMarker> = {}): LayerMarker {
  return {
    wBits: p.bits,
    aBits,
    form,
    scheme: p.symmetric ? 'sym' : 'asym',
    granularity: p.perChannel ? 'channel' : 'tensor',
    ...(p.perChannel ? { axis: p.layer.axis } : {}),
    weight,
    ...extra,
  };
}

/** Shape of a per-channel bias added to the layer's output: [C, 1, 1] for Conv (NCHW), [N] otherwise. */
export function biasDims(l: LayerInfo): number[] {
  return l.op === 'Conv' ? [l.bias!.length, ...Array<number>(l.weightDims.length - 2).fill(1)] : [l.bias!.length];
}

/** Float range [lo, hi] an activation's params cover. */
export function coveredRange(p: QParams): [number, number] {
  const s = p.scale[0]!;
  const z = p.zeroPoint[0]!;
  return [(p.range.qmin - z) * s, (p.range.qmax - z) * s];
}
